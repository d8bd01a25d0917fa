using KubeWeb.Agent.Node;

namespace KubeWeb.Agent.Tests.Node;

public sealed class NodeFactoryTests
{
    [Fact]
    public void ParseTaints_ReadsKeyValueEffect_AndKeyOnly()
    {
        var taints = NodeFactory.ParseTaints("dedicated=gpu:NoSchedule, spot:PreferNoSchedule");
        Assert.Equal(("dedicated", "gpu", "NoSchedule"), (taints[0].Key, taints[0].Value, taints[0].Effect));
        Assert.Equal(("spot", (string?)null, "PreferNoSchedule"), (taints[1].Key, taints[1].Value, taints[1].Effect));
    }

    [Theory]
    [InlineData("dedicated=gpu")]
    [InlineData("dedicated=gpu:Sometimes")]
    public void ParseTaints_RejectsMissingOrUnknownEffects(string text) =>
        Assert.Throws<FormatException>(() => NodeFactory.ParseTaints(text));

    [Fact]
    public void ParseLabels_ReadsPairs_AndRejectsBareWords()
    {
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "a", ["tier"] = "" }, NodeFactory.ParseLabels("zone=a,tier="));
        Assert.Throws<FormatException>(() => NodeFactory.ParseLabels("zone"));
    }

    [Fact]
    public void Build_HasTheKubeletsLabelsConditionsAndNodeInfo()
    {
        var config = new NodeConfig
        {
            NodeName = "n1",
            NodeIp = "10.0.0.9",
            Labels = new Dictionary<string, string> { ["zone"] = "a" },
            Taints = NodeFactory.ParseTaints("k=v:NoExecute"),
            Capacity = new Dictionary<string, string> { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
            Architecture = "amd64",
        };
        var node = NodeFactory.Build(config, "simulated://1.0.0", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal("n1", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        Assert.Equal("amd64", node.Metadata.Labels["kubernetes.io/arch"]);
        Assert.Equal("a", node.Metadata.Labels["zone"]);
        Assert.Equal("NoExecute", node.Spec.Taints.Single().Effect);
        Assert.Equal(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"], node.Status.Conditions.Select(c => c.Type));
        Assert.Equal("True", node.Status.Conditions.Last().Status);
        Assert.Equal("v1.32.0", node.Status.NodeInfo.KubeletVersion);
        Assert.Equal("simulated://1.0.0", node.Status.NodeInfo.ContainerRuntimeVersion);
        Assert.Equal("4", node.Status.Allocatable["cpu"].ToString());
        Assert.Equal("10.0.0.9", node.Status.Addresses.Single(a => a.Type == "InternalIP").Address);
    }
}
