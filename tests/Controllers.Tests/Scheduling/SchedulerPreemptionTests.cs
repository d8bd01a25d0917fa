using k8s.Models;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling;

public sealed class SchedulerPreemptionTests
{
    [Fact]
    public async Task AHigherPriorityPod_PreemptsTheFewestLeastImportantPods_AndHoldsTheRoomFreedForIt()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "2"));
        h.AddNode(Node("b", cpu: "2"));
        h.AddPod(Prio(Pod("low0", cpu: "1"), 0).On("a"));
        h.AddPod(Prio(Pod("low10", cpu: "1"), 10).On("a"));
        h.AddPod(Prio(Pod("mid1", cpu: "1"), 100).On("b"));
        h.AddPod(Prio(Pod("mid2", cpu: "1"), 100).On("b"));
        h.AddPod(Prio(Pod("high", cpu: "1"), 1000));

        await h.DrainAsync();

        // On a, taking low0 alone is enough (low10 is given back); b would cost a priority-100 pod.
        Assert.Empty(h.Binder.Binds);
        var preemption = Assert.Single(h.Preemptor.Preemptions);
        Assert.Equal(("default/high", "a"), (preemption.Preemptor, preemption.Node));
        Assert.Equal(["default/low0"], preemption.Victims);
        Assert.Equal("a", h.Scheduler.NominatedNode("default/high"));
        Assert.Equal("0/2 nodes are available: 2 Insufficient cpu.", h.Reporter.Unschedulable["default/high"]);

        // The victim goes; a lower-priority pod arriving while the preemptor backs off may not take its room.
        h.DeletePod("default/low0");
        h.AddPod(Prio(Pod("late", cpu: "1"), 0));
        await h.DrainAsync();
        Assert.Empty(h.Binder.Binds);
        Assert.StartsWith("0/2 nodes are available: 2 Insufficient cpu.", h.Reporter.Unschedulable["default/late"], StringComparison.Ordinal);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Scheduler.Queue.Flush();
        await h.DrainAsync();
        Assert.Equal("a", h.Placements["default/high"]);
        Assert.Null(h.Scheduler.NominatedNode("default/high"));
        Assert.False(h.Placements.ContainsKey("default/late"));
    }

    [Fact]
    public async Task PreemptionPolicyNever_PreemptsNothing_AndSaysSo()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "1"));
        h.AddPod(Prio(Pod("low", cpu: "1"), 0).On("a"));
        h.AddPod(Prio(Pod("polite", cpu: "1"), 1000, "Never"));

        await h.DrainAsync();

        Assert.Empty(h.Preemptor.Preemptions);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.", h.Reporter.Unschedulable["default/polite"]);
    }

    [Fact]
    public async Task OnlyNodesWherePreemptionCanHelp_AreTried()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("tainted", cpu: "4", taints: [Taint("dedicated", "NoSchedule")]));
        h.AddNode(Node("full", cpu: "1"));
        h.AddPod(Prio(Pod("peer", cpu: "1"), 1000).On("full"));
        h.AddPod(Prio(Pod("low", cpu: "1"), 0).On("tainted"));
        h.AddPod(Prio(Pod("high", cpu: "1"), 1000));

        await h.DrainAsync();

        Assert.Empty(h.Preemptor.Preemptions);
        Assert.Equal(
            "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
            h.Reporter.Unschedulable["default/high"]);
    }

    [Fact]
    public async Task AVictimWhoseBudgetAllowsNoDisruption_IsSpared_WhenAnotherNodeNeedsNone()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "2"));
        h.AddNode(Node("b", cpu: "2"));
        h.AddPod(Prio(Pod("guarded", cpu: "2", labels: new() { ["app"] = "guarded" }), 0).On("a"));
        h.AddPod(Prio(Pod("free", cpu: "2", labels: new() { ["app"] = "free" }), 0).On("b"));
        h.Budgets.Add(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "guard", NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "guarded" } } },
            Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = 0 },
        });
        h.AddPod(Prio(Pod("high", cpu: "2"), 1000));

        await h.DrainAsync();

        var preemption = Assert.Single(h.Preemptor.Preemptions);
        Assert.Equal("b", preemption.Node);
        Assert.Equal(["default/free"], preemption.Victims);
    }

    [Fact]
    public async Task WhileItsVictimsAreTerminating_ThePodPreemptsNoMore()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "1"));
        var victim = Prio(Pod("low", cpu: "1"), 0).On("a");
        h.AddPod(victim);
        h.AddPod(Prio(Pod("high", cpu: "1"), 1000));
        await h.DrainAsync();
        Assert.Single(h.Preemptor.Preemptions);

        // The victim is terminating (a grace period); the preemptor is tried again meanwhile.
        var terminating = SchedulerHarness.Copy(victim);
        terminating.Metadata.DeletionTimestamp = h.Time.GetUtcNow().UtcDateTime;
        h.UpdatePod(terminating);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Scheduler.Queue.MoveAllToActiveOrBackoff();
        h.Scheduler.Queue.Flush();
        await h.DrainAsync();

        Assert.Single(h.Preemptor.Preemptions);
        Assert.EndsWith("preemption: not eligible due to a terminating pod on the nominated node.", h.Reporter.Unschedulable["default/high"], StringComparison.Ordinal);
    }

    private static V1Pod Prio(V1Pod pod, int priority, string? policy = null)
    {
        pod.Spec.Priority = priority;
        pod.Spec.PreemptionPolicy = policy;
        return pod;
    }
}
