using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Core.Agents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static KubeWeb.Agent.Tests.TestPods;

namespace KubeWeb.Agent.Tests.Pods;

public sealed class PodWorkersTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingSink _sink = new();
    private RecordingRuntime _runtime = null!;
    private PodWorkers _workers = null!;

    public async Task InitializeAsync()
    {
        var sim = new SimulatedRuntime(new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromSeconds(1), TerminationScale = 1 }, _time);
        await sim.UpdatePodCidrAsync("10.244.3.0/24", default);
        _runtime = new RecordingRuntime(sim);
        _workers = new PodWorkers(new PodWorkerContext(_runtime, _sink, "10.0.0.5", _time, NullLogger.Instance));
    }

    public async Task DisposeAsync() => await _workers.DisposeAsync();

    [Fact]
    public async Task NewPod_ReportsPending_ThenRunningWithIpAfterStartDelay()
    {
        var pod = Pod("web");
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, [Upsert(pod)]), default);
        await Eventually(() => _sink.Reports.Any() && _runtime.Calls.Contains("sync web"), "a first report");
        var first = _sink.Last(pod.Metadata.Uid);
        Assert.Equal("Pending", first.Phase);
        Assert.Equal("ContainerCreating", first.ContainerStatuses.Single().State.Waiting.Reason);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _sink.Last(pod.Metadata.Uid).Phase == "Running", "Running");
        var running = _sink.Last(pod.Metadata.Uid);
        Assert.Equal("10.244.3.2", running.PodIP);
        Assert.Equal("10.0.0.5", running.HostIP);
        Assert.Equal("True", running.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("BestEffort", running.QosClass);
    }

    [Fact]
    public async Task SameSnapshotTwice_AsAfterAReconnect_KeepsOneWorkerAndOneRuntimePod()
    {
        var pod = Pod("web");
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Contains("sync web"), "the first sync");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _sink.Reports.Any(r => r.Status.Contains("\"Running\"", StringComparison.Ordinal)), "Running");
        var before = (await _runtime.ListPodsAsync(default)).Single().Containers.Single().Id;

        await _workers.ApplyAsync(new PodAssignmentBatch(true, 2, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Count(c => c == "sync web") >= 2, "the resync pass");

        Assert.Equal(1, _workers.Count);
        var after = Assert.Single(await _runtime.ListPodsAsync(default));
        Assert.Equal(before, after.Containers.Single().Id);
        Assert.DoesNotContain(_runtime.Calls, c => c.StartsWith("kill", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletionTimestamp_KillsWithTheDeletionGracePeriod_ThenReportsTerminatedOnce()
    {
        var pod = Pod("web", grace: 30);
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Contains("sync web"), "the first sync");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _sink.Reports.Any(r => r.Status.Contains("\"Running\"", StringComparison.Ordinal)), "Running");

        pod.Metadata.DeletionTimestamp = _time.GetUtcNow().UtcDateTime.AddSeconds(5);
        pod.Metadata.DeletionGracePeriodSeconds = 5;
        await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Contains("kill uid-web 5s"), "a kill with the 5 s grace period");
        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50);
        Assert.DoesNotContain(_sink.Reports, r => r.Terminated);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _sink.Reports.Any(r => r.Terminated), "the terminated report");
        var final = _sink.Last(pod.Metadata.Uid);
        Assert.Equal("Succeeded", final.Phase);
        Assert.Equal(0, final.ContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("False", final.Conditions.Single(c => c.Type == "Ready").Status);

        // The server's echo of the final status must not trigger a second terminated report.
        await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, [Upsert(pod)]), default);
        await Task.Delay(50);
        Assert.Single(_sink.Reports, r => r.Terminated);

        await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, [Delete(pod)]), default);
        await Eventually(() => _workers.Count == 0, "the worker to finish");
        Assert.Contains("remove uid-web", _runtime.Calls);
        Assert.Empty(await _runtime.ListPodsAsync(default));
    }

    [Fact]
    public async Task PodMissingFromSnapshot_IsKilledAndRemoved()
    {
        var keep = Pod("keep");
        var drop = Pod("drop");
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, [Upsert(keep), Upsert(drop)]), default);
        await Eventually(() => _runtime.Calls.Contains("sync drop") && _runtime.Calls.Contains("sync keep"), "both pods synced");

        await _workers.ApplyAsync(new PodAssignmentBatch(true, 2, [Upsert(keep)]), default);
        await Eventually(() => _workers.Count == 1, "the dropped worker to end");
        Assert.Contains("kill uid-drop 0s", _runtime.Calls);
        Assert.Equal("keep", Assert.Single(await _runtime.ListPodsAsync(default)).Name);
        Assert.Contains("uid-drop", _sink.Forgotten);
    }

    [Fact]
    public async Task APodMarkedFailedOnTheServer_IsStoppedWithItsGracePeriod_AndNeverStartedAgain()
    {
        var pod = Pod("web", grace: 5);
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Contains("sync web"), "the first sync");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _sink.Reports.Any(r => r.Status.Contains("\"Running\"", StringComparison.Ordinal)), "Running");

        // Someone else (the pod GC, a controller) marks the running pod Failed.
        pod.Status = _sink.Last(pod.Metadata.Uid);
        pod.Status.Phase = "Failed";
        var syncs = _runtime.Calls.Count(c => c == "sync web");
        await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Contains("kill uid-web 5s"), "a kill with the pod's grace period");
        _time.Advance(TimeSpan.FromSeconds(5));
        await Eventually(() => _sink.Last(pod.Metadata.Uid).ContainerStatuses.Single().State.Terminated is not null, "the stopped container reported");
        Assert.Equal(0, _sink.Last(pod.Metadata.Uid).ContainerStatuses.Single().State.Terminated.ExitCode);

        // Later updates never run it again.
        await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, [Upsert(pod)]), default);
        await Task.Delay(50);
        Assert.Equal(syncs, _runtime.Calls.Count(c => c == "sync web"));
        Assert.Single(_runtime.Calls, c => c.StartsWith("kill", StringComparison.Ordinal));
        Assert.All((await _runtime.ListPodsAsync(default)).Single().Containers, c => Assert.Equal(KubeWeb.Agent.Runtime.ContainerState.Exited, c.State));
    }

    [Fact]
    public async Task StatusTheServerAlreadyHolds_IsNotReportedAgain()
    {
        var pod = Pod("web");
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Contains("sync web"), "the first sync");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _sink.Reports.Any(r => r.Status.Contains("\"Running\"", StringComparison.Ordinal)), "Running");
        var count = _sink.Reports.Count;

        pod.Status = _sink.Last(pod.Metadata.Uid);
        await _workers.ApplyAsync(new PodAssignmentBatch(false, 0, [Upsert(pod)]), default);
        await Eventually(() => _runtime.Calls.Count(c => c == "sync web") >= 2, "the pass for the echo");
        await Task.Delay(50);
        Assert.Equal(count, _sink.Reports.Count);
    }

    [Fact]
    public async Task UnwantedRuntimePod_FromBeforeARestart_IsStoppedOnSnapshot()
    {
        await _runtime.SyncPodAsync(Pod("leftover"), default);
        await _workers.ApplyAsync(new PodAssignmentBatch(true, 1, []), default);
        Assert.Contains("kill uid-leftover 0s", _runtime.Calls);
        Assert.Empty(await _runtime.ListPodsAsync(default));
    }
}
