using k8s.Models;
using KubeWeb.Controllers.Scheduling.Plugins;

namespace KubeWeb.Controllers.Tests.Scheduling.Plugins;

public class VolumeBindingTests
{
    private readonly Lister _volumes = new();

    private static V1Pod WithClaim(string claim)
    {
        var pod = Kit.Pod("p");
        pod.Spec.Volumes = [new V1Volume { Name = "d", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        return pod;
    }

    private V1PersistentVolumeClaim Claim(string name, string? cls, string? volume = null)
    {
        var claim = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name + "-uid" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                StorageClassName = cls,
                VolumeName = volume,
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        };
        _volumes.Claims[name] = claim;
        return claim;
    }

    private V1PersistentVolume Volume(string name, string? node, string cls = "")
    {
        var pv = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeSpec
            {
                StorageClassName = cls,
                AccessModes = ["ReadWriteOnce"],
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                NodeAffinity = node is null ? null : new V1VolumeNodeAffinity
                {
                    Required = new V1NodeSelector
                    {
                        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
                    },
                },
            },
        };
        _volumes.All[name] = pv;
        return pv;
    }

    private static V1Node Node(string name)
    {
        var node = Kit.Node(name);
        (node.Metadata.Labels ??= new Dictionary<string, string>())["kubernetes.io/hostname"] = name;
        return node;
    }

    [Fact]
    public void MissingOrUnboundImmediateClaims_RejectThePodEverywhere()
    {
        var plugin = new VolumeBinding(_volumes);
        var node = Kit.Info(Node("a"));
        Assert.Equal("persistentvolumeclaim \"absent\" not found", Kit.Filter(plugin, WithClaim("absent"), node));
        Claim("immediate", cls: "");
        Assert.Equal(VolumeBinding.UnboundImmediate, Kit.Filter(plugin, WithClaim("immediate"), node));
    }

    [Fact]
    public void BoundClaims_FitOnlyWhereTheirVolumeIs()
    {
        var plugin = new VolumeBinding(_volumes);
        Volume("pinned", node: "a");
        Claim("bound", cls: "", volume: "pinned");
        Assert.Null(Kit.Filter(plugin, WithClaim("bound"), Kit.Info(Node("a"))));
        Assert.Equal(VolumeBinding.AffinityConflict, Kit.Filter(plugin, WithClaim("bound"), Kit.Info(Node("b"))));
    }

    [Fact]
    public void WaitForFirstConsumerClaims_NeedAProvisionerOrAVolumeReachableFromTheNode()
    {
        var plugin = new VolumeBinding(_volumes);
        _volumes.Classes["local-path"] = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "local-path" }, Provisioner = "kubeweb.io/local-path", VolumeBindingMode = "WaitForFirstConsumer" };
        _volumes.Classes["static"] = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "static" }, Provisioner = "kubernetes.io/no-provisioner", VolumeBindingMode = "WaitForFirstConsumer" };
        Claim("dynamic", cls: "local-path");
        Assert.Null(Kit.Filter(plugin, WithClaim("dynamic"), Kit.Info(Node("b"))));

        Claim("local", cls: "static");
        Volume("disk-on-a", node: "a", cls: "static");
        Assert.Null(Kit.Filter(plugin, WithClaim("local"), Kit.Info(Node("a"))));
        Assert.Equal(VolumeBinding.NoVolumeToBind, Kit.Filter(plugin, WithClaim("local"), Kit.Info(Node("b"))));
    }

    private sealed class Lister : IVolumeLister
    {
        public Dictionary<string, V1PersistentVolumeClaim> Claims { get; } = [];

        public Dictionary<string, V1PersistentVolume> All { get; } = [];

        public Dictionary<string, V1StorageClass> Classes { get; } = [];

        public V1PersistentVolumeClaim? Claim(string ns, string name) => Claims.GetValueOrDefault(name);

        public V1PersistentVolume? Volume(string name) => All.GetValueOrDefault(name);

        public V1StorageClass? StorageClass(string name) => Classes.GetValueOrDefault(name);

        public IEnumerable<V1PersistentVolume> Volumes() => All.Values;
    }
}
