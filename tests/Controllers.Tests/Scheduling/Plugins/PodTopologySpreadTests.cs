using k8s.Models;
using KubeWeb.Controllers.Scheduling.Plugins;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling.Plugins;

public sealed class PodTopologySpreadTests
{
    private readonly PodTopologySpread _plugin = new();

    [Fact]
    public void DoNotSchedule_RejectsDomainsThatWouldExceedMaxSkew()
    {
        var z1 = Info(Node("a", labels: new() { ["zone"] = "z1" }), Web("w1", "a"), Web("w2", "a"));
        var z2 = Info(Node("b", labels: new() { ["zone"] = "z2" }), Web("w3", "b"));
        var snapshot = Snapshot(z1, z2);
        var pod = Spread(Pod("w4", labels: new() { ["app"] = "web" }), "zone", 1);
        Assert.Equal(PodTopologySpread.Reason, Filter(_plugin, pod, z1, snapshot));
        Assert.Null(Filter(_plugin, pod, z2, snapshot));
    }

    [Fact]
    public void DoNotSchedule_NodeWithoutTheTopologyLabel_IsRejected()
    {
        var labelled = Info(Node("a", labels: new() { ["zone"] = "z1" }));
        var bare = Info(Node("b"));
        var pod = Spread(Pod("w", labels: new() { ["app"] = "web" }), "zone", 1);
        Assert.Equal(PodTopologySpread.MissingLabelReason, Filter(_plugin, pod, bare, Snapshot(labelled, bare)));
    }

    [Fact]
    public void ScheduleAnyway_ScoresTheEmptierDomainHigher()
    {
        var z1 = Info(Node("a", labels: new() { ["zone"] = "z1" }), Web("w1", "a"), Web("w2", "a"));
        var z2 = Info(Node("b", labels: new() { ["zone"] = "z2" }));
        var pod = Spread(Pod("w3", labels: new() { ["app"] = "web" }), "zone", 1, hard: false);
        Assert.Null(Filter(_plugin, pod, z1, Snapshot(z1, z2)));
        var scores = Scores(_plugin, pod, z1, z2);
        Assert.True(scores["b"] > scores["a"]);
    }

    private static V1Pod Web(string name, string node) => Pod(name, labels: new() { ["app"] = "web" }).On(node);

    private static V1Pod Spread(V1Pod pod, string key, int maxSkew, bool hard = true)
    {
        pod.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                MaxSkew = maxSkew,
                TopologyKey = key,
                WhenUnsatisfiable = hard ? "DoNotSchedule" : "ScheduleAnyway",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        ];
        return pod;
    }
}
