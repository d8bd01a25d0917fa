using k8s.Models;
using KubeWeb.Api.Patching;

namespace KubeWeb.Api.Tests.Patching;

public sealed class PatchMetadataTests
{
    [Theory]
    [InlineData(typeof(V1PodSpec), "containers", "name")]
    [InlineData(typeof(V1PodSpec), "initContainers", "name")]
    [InlineData(typeof(V1PodSpec), "ephemeralContainers", "name")]
    [InlineData(typeof(V1PodSpec), "imagePullSecrets", "name")]
    [InlineData(typeof(V1PodSpec), "hostAliases", "ip")]
    [InlineData(typeof(V1PodSpec), "topologySpreadConstraints", "topologyKey")]
    [InlineData(typeof(V1Container), "env", "name")]
    [InlineData(typeof(V1Container), "volumeMounts", "mountPath")]
    [InlineData(typeof(V1Container), "volumeDevices", "devicePath")]
    [InlineData(typeof(V1EphemeralContainer), "ports", "containerPort")]
    [InlineData(typeof(V1ServiceSpec), "ports", "port")]
    [InlineData(typeof(V1ObjectMeta), "ownerReferences", "uid")]
    [InlineData(typeof(V1NodeStatus), "addresses", "type")]
    [InlineData(typeof(V1DeploymentStatus), "conditions", "type")]
    [InlineData(typeof(V1PodStatus), "podIPs", "ip")]
    public void MergeLists_CarryTheirMergeKey(Type declaring, string field, string mergeKey)
    {
        var info = PatchMetadata.GetField(declaring, field)!;

        Assert.True(info.Strategy.HasFlag(PatchStrategy.Merge));
        Assert.Equal(mergeKey, info.MergeKey);
        Assert.Equal(ListType.Map, info.ListType);
    }

    [Fact]
    public void Volumes_MergeAndRetainKeys()
    {
        Assert.Equal(PatchStrategy.Merge | PatchStrategy.RetainKeys, PatchMetadata.GetField(typeof(V1PodSpec), "volumes")!.Strategy);
    }

    [Fact]
    public void ContainerPorts_AreKeyedByPortAndProtocolForApply()
    {
        Assert.Equal(["containerPort", "protocol"], PatchMetadata.GetField(typeof(V1Container), "ports")!.ListMapKeys);
        Assert.Equal(["port", "protocol"], PatchMetadata.GetField(typeof(V1ServiceSpec), "ports")!.ListMapKeys);
    }

    [Fact]
    public void Finalizers_AreAMergedSet()
    {
        var info = PatchMetadata.GetField(typeof(V1ObjectMeta), "finalizers")!;

        Assert.Equal(PatchStrategy.Merge, info.Strategy);
        Assert.Null(info.MergeKey);
        Assert.Equal(ListType.Set, info.ListType);
    }

    [Fact]
    public void UntaggedLists_AreAtomicAndReplaced()
    {
        foreach (var (type, name) in new[] { (typeof(V1Container), "args"), (typeof(V1PodSpec), "tolerations"), (typeof(V1NodeSpec), "taints") })
        {
            var info = PatchMetadata.GetField(type, name)!;
            Assert.Equal(PatchStrategy.None, info.Strategy);
            Assert.Equal(ListType.Atomic, info.ListType);
        }
    }

    [Fact]
    public void JobConditions_MergeInPatchesButAreAtomicForApply()
    {
        var info = PatchMetadata.GetField(typeof(V1JobStatus), "conditions")!;

        Assert.Equal("type", info.MergeKey);
        Assert.Equal(ListType.Atomic, info.ListType);
    }

    [Fact]
    public void ConditionsOfUnlistedStatusTypes_FallBackToMergeByType()
    {
        Assert.Equal("type", PatchMetadata.GetField(typeof(V1StorageVersionMigrationStatus), "conditions")!.MergeKey);
    }

    [Fact]
    public void Shapes_FollowJsonNamesAndTypes()
    {
        var spec = PatchMetadata.GetField(typeof(V1Deployment), "spec")!;
        var selector = PatchMetadata.GetField(typeof(V1DeploymentSpec), "selector")!;
        var containers = PatchMetadata.GetField(typeof(V1PodSpec), "containers")!;

        Assert.Equal(typeof(V1DeploymentSpec), spec.PropertyType);
        Assert.True(selector.Shape.IsAtomic);
        Assert.Equal(ShapeKind.List, containers.Shape.Kind);
        Assert.Equal(typeof(V1Container), containers.Shape.ElementType);
        Assert.Equal(ShapeKind.Map, PatchMetadata.GetField(typeof(V1ObjectMeta), "labels")!.Shape.Kind);
        Assert.True(PatchMetadata.GetField(typeof(V1ServiceSpec), "selector")!.IsAtomicMap);
        Assert.Equal(ShapeKind.Unknown, PatchMetadata.GetField(typeof(V1ControllerRevision), "data")!.Shape.Kind);
        Assert.Null(PatchMetadata.GetField(typeof(V1PodSpec), "noSuchField"));
    }
}
