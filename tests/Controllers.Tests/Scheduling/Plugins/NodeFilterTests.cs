using k8s.Models;
using KubeWeb.Controllers.Scheduling.Plugins;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling.Plugins;

public sealed class NodeFilterTests
{
    [Fact]
    public void NodeName_PodNamingAnotherNode_IsRejected()
    {
        var pod = Pod("p");
        pod.Spec.NodeName = "b";
        Assert.Equal(NodeName.Reason, Filter(new NodeName(), pod, Info(Node("a"))));
        Assert.Null(Filter(new NodeName(), pod, Info(Node("b"))));
        Assert.Null(Filter(new NodeName(), Pod("q"), Info(Node("a"))));
    }

    [Fact]
    public void NodeUnschedulable_CordonedNode_RejectsUnlessTolerated()
    {
        var cordoned = Info(Node("a", unschedulable: true));
        Assert.Equal("node(s) were unschedulable", Filter(new NodeUnschedulable(), Pod("p"), cordoned));

        var tolerating = Pod("t");
        tolerating.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        Assert.Null(Filter(new NodeUnschedulable(), tolerating, cordoned));
        Assert.Null(Filter(new NodeUnschedulable(), Pod("p"), Info(Node("b"))));
    }

    [Fact]
    public void TaintToleration_UntoleratedNoScheduleTaint_NamesTheTaint()
    {
        var node = Info(Node("cp", taints: [Taint("node-role.kubernetes.io/control-plane", "NoSchedule")]));
        Assert.Equal("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }", Filter(new TaintToleration(), Pod("p"), node));

        var valued = Info(Node("gpu", taints: [Taint("dedicated", "NoExecute", "gpu")]));
        Assert.Equal("node(s) had untolerated taint {dedicated: gpu}", Filter(new TaintToleration(), Pod("p"), valued));
    }

    [Theory]
    [InlineData("dedicated", "Equal", "gpu", "NoExecute", true)]
    [InlineData("dedicated", "Equal", "cpu", "NoExecute", false)]
    [InlineData("dedicated", "Exists", null, "", true)]
    [InlineData("dedicated", "Exists", null, "NoSchedule", false)]
    [InlineData("", "Exists", null, "", true)]
    [InlineData("other", "Exists", null, "", false)]
    public void TaintToleration_TolerationMatching_FollowsUpstreamRules(string key, string op, string? value, string effect, bool fits)
    {
        var node = Info(Node("gpu", taints: [Taint("dedicated", "NoExecute", "gpu")]));
        var pod = Pod("p");
        pod.Spec.Tolerations = [new V1Toleration { Key = key, OperatorProperty = op, Value = value, Effect = effect }];
        Assert.Equal(fits, Filter(new TaintToleration(), pod, node) is null);
    }

    [Fact]
    public void TaintToleration_PreferNoScheduleTaint_DoesNotFilter()
    {
        var node = Info(Node("a", taints: [Taint("soft", "PreferNoSchedule")]));
        Assert.Null(Filter(new TaintToleration(), Pod("p"), node));
    }

    [Fact]
    public void NodeAffinity_NodeSelector_MustMatchEveryLabel()
    {
        var node = Info(Node("a", labels: new() { ["disk"] = "ssd", ["zone"] = "z1" }));
        var pod = Pod("p");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "z1" };
        Assert.Null(Filter(new NodeAffinity(), pod, node));

        pod.Spec.NodeSelector["zone"] = "z2";
        Assert.Equal("node(s) didn't match Pod's node affinity/selector", Filter(new NodeAffinity(), pod, node));
    }

    [Theory]
    [InlineData("disk", "In", "ssd,nvme", true)]
    [InlineData("disk", "In", "hdd", false)]
    [InlineData("disk", "NotIn", "hdd", true)]
    [InlineData("disk", "NotIn", "ssd", false)]
    [InlineData("missing", "NotIn", "x", true)]
    [InlineData("disk", "Exists", "", true)]
    [InlineData("missing", "Exists", "", false)]
    [InlineData("missing", "DoesNotExist", "", true)]
    [InlineData("disk", "DoesNotExist", "", false)]
    [InlineData("cores", "Gt", "8", true)]
    [InlineData("cores", "Gt", "16", false)]
    [InlineData("cores", "Lt", "32", true)]
    [InlineData("cores", "Lt", "16", false)]
    [InlineData("disk", "Gt", "1", false)]
    public void NodeAffinity_RequiredExpression_SupportsEveryOperator(string key, string op, string values, bool fits)
    {
        var node = Info(Node("a", labels: new() { ["disk"] = "ssd", ["cores"] = "16" }));
        var pod = Pod("p");
        pod.Spec.Affinity = Required(new V1NodeSelectorTerm
        {
            MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values.Split(',') }],
        });
        Assert.Equal(fits, Filter(new NodeAffinity(), pod, node) is null);
    }

    [Fact]
    public void NodeAffinity_MatchFields_SelectsByNodeName_AndTermsAreOred()
    {
        var pod = Pod("p");
        pod.Spec.Affinity = Required(
            new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["b"] }] },
            new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "gpu", OperatorProperty = "Exists" }] });
        Assert.NotNull(Filter(new NodeAffinity(), pod, Info(Node("a"))));
        Assert.Null(Filter(new NodeAffinity(), pod, Info(Node("b"))));
        Assert.Null(Filter(new NodeAffinity(), pod, Info(Node("c", labels: new() { ["gpu"] = "1" }))));
    }

    [Fact]
    public void NodeAffinity_EmptyTerm_MatchesNothing()
    {
        var pod = Pod("p");
        pod.Spec.Affinity = Required(new V1NodeSelectorTerm());
        Assert.NotNull(Filter(new NodeAffinity(), pod, Info(Node("a"))));
    }

    [Fact]
    public void NodePorts_SameHostPortAndProtocol_Conflicts_UnlessIpsDiffer()
    {
        var existing = WithPort(Pod("web").On("a"), 8080, "TCP", null);
        var node = Info(Node("a"), existing);
        Assert.Equal(NodePorts.Reason, Filter(new NodePorts(), WithPort(Pod("p"), 8080, "TCP", null), node));
        Assert.Equal(NodePorts.Reason, Filter(new NodePorts(), WithPort(Pod("p"), 8080, "TCP", "10.0.0.1"), node));
        Assert.Null(Filter(new NodePorts(), WithPort(Pod("p"), 8080, "UDP", null), node));
        Assert.Null(Filter(new NodePorts(), WithPort(Pod("p"), 8081, "TCP", null), node));

        var specific = Info(Node("b"), WithPort(Pod("w").On("b"), 9090, "TCP", "10.0.0.1"));
        Assert.Null(Filter(new NodePorts(), WithPort(Pod("p"), 9090, "TCP", "10.0.0.2"), specific));
    }

    [Fact]
    public void NodePorts_PortFreedWhenPodLeaves()
    {
        var existing = WithPort(Pod("web").On("a"), 8080, "TCP", null);
        var node = Info(Node("a"), existing).WithoutPod("default/web");
        Assert.Null(Filter(new NodePorts(), WithPort(Pod("p"), 8080, "TCP", null), node));
    }

    private static V1Pod WithPort(V1Pod pod, int port, string protocol, string? ip)
    {
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = port, Protocol = protocol, HostIP = ip }];
        return pod;
    }

    private static V1Affinity Required(params V1NodeSelectorTerm[] terms) => new()
    {
        NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms } },
    };
}
