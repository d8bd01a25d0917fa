using k8s.Models;
using KubeWeb.Controllers.Volumes;

namespace KubeWeb.Controllers.Tests.Volumes;

public class VolumeMatchingTests
{
    private static V1PersistentVolume Volume(string name, string size, string cls = "manual", string[]? modes = null, IDictionary<string, string>? labels = null,
        V1ObjectReference? claimRef = null, string? node = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
                AccessModes = modes ?? ["ReadWriteOnce"],
                StorageClassName = cls,
                ClaimRef = claimRef,
                HostPath = new V1HostPathVolumeSource { Path = "/tmp/" + name },
                NodeAffinity = node is null ? null : new V1VolumeNodeAffinity
                {
                    Required = new V1NodeSelector
                    {
                        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
                    },
                },
            },
            Status = new V1PersistentVolumeStatus { Phase = "Available" },
        };

    private static V1PersistentVolumeClaim Claim(string size, string? cls = "manual", string[]? modes = null, V1LabelSelector? selector = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "ns", Uid = "uid-1" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = modes ?? ["ReadWriteOnce"],
            StorageClassName = cls,
            Selector = selector,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };

    [Fact]
    public void FindBest_PicksTheSmallestVolumeThatFits()
    {
        V1PersistentVolume[] volumes = [Volume("big", "10Gi"), Volume("small", "1Gi"), Volume("tiny", "100Mi")];
        Assert.Equal("small", VolumeMatching.FindBest(Claim("500Mi"), volumes)?.Metadata.Name);
        Assert.Null(VolumeMatching.FindBest(Claim("20Gi"), volumes));
    }

    [Fact]
    public void FindBest_RequiresClassAccessModesAndSelector()
    {
        V1PersistentVolume[] volumes =
        [
            Volume("fast", "1Gi", cls: "fast"),
            Volume("rwo", "1Gi"),
            Volume("rwx", "2Gi", modes: ["ReadWriteOnce", "ReadWriteMany"], labels: new Dictionary<string, string> { ["tier"] = "gold" }),
        ];
        Assert.Equal("fast", VolumeMatching.FindBest(Claim("1Gi", cls: "fast"), volumes)?.Metadata.Name);
        Assert.Equal("rwx", VolumeMatching.FindBest(Claim("1Gi", modes: ["ReadWriteMany"]), volumes)?.Metadata.Name);
        var gold = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } };
        Assert.Equal("rwx", VolumeMatching.FindBest(Claim("1Gi", selector: gold), volumes)?.Metadata.Name);
        Assert.Null(VolumeMatching.FindBest(Claim("1Gi", cls: ""), volumes));
    }

    [Fact]
    public void FindBest_HonoursPreBinding_InBothDirections()
    {
        var reserved = Volume("reserved", "5Gi", claimRef: new V1ObjectReference { Name = "data", NamespaceProperty = "ns" });
        var other = Volume("theirs", "1Gi", claimRef: new V1ObjectReference { Name = "other", NamespaceProperty = "ns" });
        var free = Volume("free", "1Gi");
        // A volume reserved for the claim wins over a smaller free one; one reserved for another claim is never taken.
        Assert.Equal("reserved", VolumeMatching.FindBest(Claim("1Gi"), [free, reserved, other])?.Metadata.Name);
        Assert.Equal("free", VolumeMatching.FindBest(Claim("1Gi"), [free, other])?.Metadata.Name);

        var named = Claim("1Gi");
        named.Spec.VolumeName = "big";
        Assert.Equal("big", VolumeMatching.FindBest(named, [free, Volume("big", "9Gi")])?.Metadata.Name);
    }

    [Fact]
    public void FindBest_WithANode_SkipsVolumesPinnedElsewhere()
    {
        V1PersistentVolume[] volumes = [Volume("on-a", "1Gi", node: "a"), Volume("on-b", "2Gi", node: "b")];
        var labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "b" };
        Assert.Equal("on-b", VolumeMatching.FindBest(Claim("1Gi"), volumes, "b", labels)?.Metadata.Name);
        Assert.True(VolumeMatching.NodeMatches(null, "any", new Dictionary<string, string>()));
        Assert.False(VolumeMatching.NodeMatches(volumes[0].Spec.NodeAffinity, "b", labels));
    }

    [Fact]
    public void LocalPathVolume_IsPinnedToTheNode_AndPreBoundToTheClaim()
    {
        var claim = Claim("2Gi", cls: "local-path");
        var sc = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "local-path" }, Provisioner = PersistentVolumeController.LocalPathProvisioner, ReclaimPolicy = "Delete" };
        var pv = PersistentVolumeController.LocalPathVolume(claim, sc, "node-a", new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-a" }, "/data/storage");

        Assert.Equal("pvc-uid-1", pv.Metadata.Name);
        Assert.Equal("/data/storage/pvc-uid-1", pv.Spec.HostPath.Path);
        Assert.Equal("Delete", pv.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal(("data", "ns", "uid-1"), (pv.Spec.ClaimRef.Name, pv.Spec.ClaimRef.NamespaceProperty, pv.Spec.ClaimRef.Uid));
        Assert.True(VolumeMatching.IsPreBoundTo(pv, claim));
        Assert.True(VolumeMatching.NodeMatches(pv.Spec.NodeAffinity, "node-a", new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-a" }));
        Assert.Contains(PersistentVolumeController.LocalPathCleanup, pv.Metadata.Finalizers);
    }

    [Fact]
    public void VolumeNodeAffinity_UsesTheSchedulersOperators_IncludingGtAndMetadataName()
    {
        var affinity = new V1VolumeNodeAffinity
        {
            Required = new V1NodeSelector
            {
                NodeSelectorTerms =
                [
                    new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "disk-gb", OperatorProperty = "Gt", Values = ["100"] }] },
                    new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["pinned"] }] },
                ],
            },
        };

        Assert.True(VolumeMatching.NodeMatches(affinity, "big", new Dictionary<string, string> { ["disk-gb"] = "500" }));
        Assert.False(VolumeMatching.NodeMatches(affinity, "small", new Dictionary<string, string> { ["disk-gb"] = "50" }));
        Assert.True(VolumeMatching.NodeMatches(affinity, "pinned", new Dictionary<string, string>()));
        Assert.False(VolumeMatching.NodeMatches(affinity, "other", new Dictionary<string, string>()));
    }
}
