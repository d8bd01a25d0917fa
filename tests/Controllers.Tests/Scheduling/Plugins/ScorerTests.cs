using k8s.Models;
using KubeWeb.Controllers.Scheduling.Plugins;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling.Plugins;

public sealed class ScorerTests
{
    [Fact]
    public void LeastAllocated_PrefersTheEmptierNode_WithUpstreamArithmetic()
    {
        var empty = Info(Node("empty", cpu: "4", memory: "8Gi"));
        var busy = Info(Node("busy", cpu: "4", memory: "8Gi"), Pod("x", "3", "6Gi").On("busy"));
        var scores = Scores(new LeastAllocated(), Pod("p", "1", "2Gi"), empty, busy);
        Assert.Equal(75, scores["empty"]); // cpu (4-1)/4 = 75, memory (8-2)/8 = 75
        Assert.Equal(0, scores["busy"]);
    }

    [Fact]
    public void LeastAllocated_CountsDefaultsForPodsWithoutRequests()
    {
        var node = Info(Node("a", cpu: "1", memory: "1000Mi"));
        var scores = Scores(new LeastAllocated(), Pod("p"), node);
        Assert.Equal((90 + 80) / 2, scores["a"]); // 100m of 1 cpu, 200Mi of 1000Mi
    }

    [Fact]
    public void BalancedAllocation_PrefersEqualCpuAndMemoryFractions()
    {
        var balanced = Info(Node("balanced", cpu: "4", memory: "8Gi"), Pod("x", "1", "2Gi").On("balanced"));
        var skewed = Info(Node("skewed", cpu: "4", memory: "8Gi"), Pod("y", "3").On("skewed"));
        var scores = Scores(new BalancedAllocation(), Pod("p", "1", "2Gi"), balanced, skewed);
        Assert.Equal(100, scores["balanced"]);
        Assert.True(scores["skewed"] < 100);
    }

    [Fact]
    public void NodeAffinity_PreferredTerms_ScoreByWeight()
    {
        var ssd = Info(Node("ssd", labels: new() { ["disk"] = "ssd" }));
        var hdd = Info(Node("hdd", labels: new() { ["disk"] = "hdd" }));
        var pod = Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PreferredSchedulingTerm { Weight = 80, Preference = Term("disk", "ssd") },
                    new V1PreferredSchedulingTerm { Weight = 20, Preference = Term("disk", "hdd") },
                ],
            },
        };
        var scores = Scores(new NodeAffinity(), pod, ssd, hdd);
        Assert.Equal(100, scores["ssd"]);
        Assert.Equal(25, scores["hdd"]);
    }

    [Fact]
    public void TaintToleration_PrefersNodesWithoutUntoleratedPreferNoScheduleTaints()
    {
        var clean = Info(Node("clean"));
        var soft = Info(Node("soft", taints: [Taint("a", "PreferNoSchedule"), Taint("b", "PreferNoSchedule")]));
        var scores = Scores(new TaintToleration(), Pod("p"), clean, soft);
        Assert.Equal(100, scores["clean"]);
        Assert.Equal(0, scores["soft"]);

        var tolerant = Pod("t");
        tolerant.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }];
        Assert.Equal(100, Scores(new TaintToleration(), tolerant, clean, soft)["soft"]);
    }

    [Fact]
    public void TopologySpread_Default_PrefersNodesWithFewerPodsOfTheSameOwner()
    {
        var crowded = Info(Node("crowded"), Pod("rs-1", owner: "rs").On("crowded"), Pod("rs-2", owner: "rs").On("crowded"));
        var one = Info(Node("one"), Pod("rs-3", owner: "rs").On("one"));
        var none = Info(Node("none"), Pod("other", owner: "other").On("none"));
        var scores = Scores(new PodTopologySpread(), Pod("rs-4", owner: "rs"), crowded, one, none);
        Assert.True(scores["none"] > scores["one"]);
        Assert.True(scores["one"] > scores["crowded"]);
    }

    private static V1NodeSelectorTerm Term(string key, string value) => new()
    {
        MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = "In", Values = [value] }],
    };
}
