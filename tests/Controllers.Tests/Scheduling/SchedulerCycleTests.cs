using k8s.Models;
using KubeWeb.Controllers.Scheduling;
using KubeWeb.Controllers.Scheduling.Binding;
using KubeWeb.Controllers.Tests.Scheduling.Plugins;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling;

public sealed class SchedulerCycleTests
{
    [Fact]
    public async Task ResourceFit_AcrossSeveralPods_CountsAssumedPodsBeforeTheInformerConfirms()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "2"));
        h.AddNode(Node("b", cpu: "2"));
        for (var i = 0; i < 5; i++)
        {
            h.AddPod(Pod($"p{i}", cpu: "1"));
        }

        await h.DrainAsync();

        Assert.Equal(4, h.Binder.Binds.Count);
        Assert.Equal(2, h.Placements.Values.Count(n => n == "a"));
        Assert.Equal(2, h.Placements.Values.Count(n => n == "b"));
        var stuck = Assert.Single(h.Reporter.Unschedulable);
        Assert.Equal("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.", stuck.Value);
        Assert.Equal(1, h.Scheduler.Queue.UnschedulableCount);
        Assert.Contains(h.Reporter.Events, e => e.Reason == "Scheduled" && e.Message == $"Successfully assigned default/p0 to {h.Placements["default/p0"]}");
    }

    [Fact]
    public async Task Unschedulable_MessageCountsNodesPerReason_InUpstreamFormat()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("cp", cpu: "8", taints: [Taint("node-role.kubernetes.io/control-plane", "NoSchedule")]));
        h.AddNode(Node("w1", cpu: "1"));
        h.AddNode(Node("w2", cpu: "1"));
        h.AddPod(Pod("big", cpu: "2"));

        await h.DrainAsync();

        Assert.Empty(h.Binder.Binds);
        Assert.Equal(
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
            h.Reporter.Unschedulable["default/big"]);
        Assert.Contains(h.Reporter.Events, e => e is { Type: "Warning", Reason: "FailedScheduling" });
    }

    [Fact]
    public async Task Taints_KeepPodsOff_UnlessTolerated()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("cp", taints: [Taint("node-role.kubernetes.io/control-plane", "NoSchedule")]));
        h.AddNode(Node("w1"));
        for (var i = 0; i < 6; i++)
        {
            h.AddPod(Pod($"p{i}"));
        }

        var tolerant = Pod("tolerant");
        tolerant.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "cp" };
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "node-role.kubernetes.io/control-plane", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        h.AddPod(tolerant);

        await h.DrainAsync();

        var placements = h.Placements;
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal("w1", placements[$"default/p{i}"]));
        Assert.Equal("cp", placements["default/tolerant"]);
    }

    [Fact]
    public async Task AntiAffinity_SpreadsReplicasOnePerNode_AndReportsTheRest()
    {
        var h = new SchedulerHarness(confirmBinds: true);
        foreach (var n in new[] { "a", "b", "c" })
        {
            h.AddNode(Node(n));
        }

        for (var i = 0; i < 4; i++)
        {
            h.AddPod(InterPodAffinityTests.WithAntiAffinity(Pod($"web-{i}", labels: new() { ["app"] = "web" }), "kubernetes.io/hostname"));
            await h.DrainAsync();
        }

        Assert.Equal(["a", "b", "c"], h.Placements.Values.Order());
        Assert.Equal(
            "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            h.Reporter.Unschedulable["default/web-3"]);
    }

    [Fact]
    public async Task ReplicasOfOneOwner_SpreadEvenly()
    {
        var h = new SchedulerHarness();
        for (var n = 0; n < 5; n++)
        {
            h.AddNode(Node($"n{n}", cpu: "64", memory: "256Gi"));
        }

        for (var i = 0; i < 20; i++)
        {
            h.AddPod(Pod($"rs-{i}", cpu: "100m", memory: "64Mi", owner: "rs-uid"));
        }

        await h.DrainAsync();

        Assert.Equal(20, h.Binder.Binds.Count);
        Assert.All(h.Placements.Values.GroupBy(n => n), g => Assert.Equal(4, g.Count()));
    }

    [Fact]
    public async Task ParkedPod_IsRetried_WhenANodeIsAdded()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("small", cpu: "1"));
        h.AddPod(Pod("big", cpu: "4"));
        await h.DrainAsync();
        Assert.Equal(1, h.Scheduler.Queue.UnschedulableCount);

        h.Time.Advance(TimeSpan.FromSeconds(2)); // past the first back-off
        h.AddNode(Node("large", cpu: "8"));
        await h.DrainAsync();

        Assert.Equal("large", h.Placements["default/big"]);
    }

    [Fact]
    public async Task ParkedPod_IsRetried_WhenABoundPodIsDeleted()
    {
        var h = new SchedulerHarness(confirmBinds: true);
        h.AddNode(Node("a", cpu: "1"));
        h.AddPod(Pod("first", cpu: "1"));
        h.AddPod(Pod("second", cpu: "1"));
        await h.DrainAsync();
        Assert.True(h.Scheduler.Queue.IsUnschedulable("default/second"));

        h.DeletePod("default/first");
        Assert.False(h.Scheduler.Queue.IsUnschedulable("default/second"));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Scheduler.Queue.Flush();
        await h.DrainAsync();

        Assert.Equal("a", h.Placements["default/second"]);
    }

    [Fact]
    public async Task StatusOnlyUpdate_LeavesAParkedPodParked()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "1"));
        h.AddPod(Pod("big", cpu: "4"));
        await h.DrainAsync();

        Assert.True(h.Scheduler.Queue.IsUnschedulable("default/big"));

        var updated = Pod("big", cpu: "4");
        updated.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable" }];
        h.UpdatePod(updated);
        Assert.True(h.Scheduler.Queue.IsUnschedulable("default/big"));

        var resized = SchedulerHarness.Copy(updated);
        resized.Spec.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity("500m");
        h.UpdatePod(resized);
        Assert.False(h.Scheduler.Queue.IsUnschedulable("default/big"));
    }

    [Fact]
    public async Task FailedBind_ReleasesTheAssumedResources_AndRetriesAfterBackoff()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "1"));
        var failures = 1;
        h.Binder.Fail = (_, _) => failures-- > 0 ? new HttpRequestException("connection refused") : null;
        h.AddPod(Pod("p", cpu: "1"));
        await h.DrainAsync();

        Assert.Empty(h.Binder.Binds);
        Assert.Equal(0, h.Scheduler.Cache.Get("a")!.PodCount);
        Assert.Equal(1, h.Scheduler.Queue.BackoffCount);
        Assert.Contains(h.Reporter.Events, e => e.Reason == "FailedScheduling" && e.Message.StartsWith("Binding rejected", StringComparison.Ordinal));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Scheduler.Queue.Flush();
        await h.DrainAsync();
        Assert.Equal("a", h.Placements["default/p"]);
    }

    [Fact]
    public async Task ConflictingBind_IsNotRetried()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a"));
        h.Binder.Fail = (_, _) => new BindConflictException("already assigned");
        h.AddPod(Pod("p"));
        await h.DrainAsync();

        Assert.Equal(0, h.Scheduler.Queue.BackoffCount + h.Scheduler.Queue.ActiveCount + h.Scheduler.Queue.UnschedulableCount);
        Assert.Equal(0, h.Scheduler.Cache.Get("a")!.PodCount);
    }

    [Fact]
    public async Task PodsForOtherSchedulers_AndBoundPods_AreLeftAlone()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "2"));
        var other = Pod("other");
        other.Spec.SchedulerName = "my-scheduler";
        h.AddPod(other);
        h.AddPod(Pod("bound", cpu: "2").On("a"));
        h.AddPod(Pod("p", cpu: "1"));
        await h.DrainAsync();

        Assert.Empty(h.Binder.Binds);
        Assert.Equal(["default/p"], h.Reporter.Unschedulable.Keys);
        Assert.Contains("Insufficient cpu", h.Reporter.Unschedulable["default/p"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HigherPriorityPods_AreScheduledFirst()
    {
        var h = new SchedulerHarness();
        h.AddNode(Node("a", cpu: "1"));
        var low = Pod("low", cpu: "1");
        var high = Pod("high", cpu: "1");
        high.Spec.Priority = 1000;
        h.AddPod(low);
        h.AddPod(high);
        await h.DrainAsync();

        Assert.Equal("a", h.Placements["default/high"]);
        Assert.False(h.Placements.ContainsKey("default/low"));
    }

    [Fact]
    public void Sampling_FindsAPercentageOfLargeClusters_AsUpstream()
    {
        var algorithm = new SchedulerHarness().Scheduler.Algorithm;
        Assert.Equal(50, algorithm.NumFeasibleNodesToFind(50));
        Assert.Equal(100, algorithm.NumFeasibleNodesToFind(150));
        Assert.Equal(420, algorithm.NumFeasibleNodesToFind(1000));
        Assert.Equal(500, algorithm.NumFeasibleNodesToFind(5000));
        Assert.Equal(500, algorithm.NumFeasibleNodesToFind(10000));
    }
}
