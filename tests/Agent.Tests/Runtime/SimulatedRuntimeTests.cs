using KubeWeb.Agent.Runtime;
using KubeWeb.Agent.Runtime.Simulated;
using Microsoft.Extensions.Time.Testing;
using static KubeWeb.Agent.Tests.TestPods;

namespace KubeWeb.Agent.Tests.Runtime;

public sealed class SimulatedRuntimeTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private async Task<SimulatedRuntime> RuntimeAsync(double scale = 1, TimeSpan? max = null)
    {
        var rt = new SimulatedRuntime(new SimulatedRuntimeOptions
        {
            StartDelay = TimeSpan.FromMilliseconds(200),
            TerminationScale = scale,
            MaxTerminationDelay = max ?? TimeSpan.FromSeconds(30),
        }, _time);
        await rt.UpdatePodCidrAsync("10.244.7.0/24", default);
        return rt;
    }

    [Fact]
    public async Task Pod_RunsAfterTheStartDelay_WithAnIpFromThePodCidr()
    {
        var rt = await RuntimeAsync();
        var changed = new List<string>();
        rt.PodChanged += changed.Add;
        await rt.SyncPodAsync(Pod("a"), default);
        var pending = (await rt.GetPodAsync("uid-a", default))!;
        Assert.Equal(ContainerState.Waiting, pending.Containers.Single().State);
        Assert.Equal("10.244.7.2", pending.Ip);

        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Eventually(() => changed.Count == 2, "the start event");
        var running = (await rt.GetPodAsync("uid-a", default))!;
        Assert.Equal(ContainerState.Running, running.Containers.Single().State);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMilliseconds(-200), running.Containers.Single().StartedAt);
        Assert.StartsWith("simulated://", running.Containers.Single().Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_PulledCreatedStartedOnStart_KillingWhenTheStopBegins()
    {
        var rt = await RuntimeAsync();
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        rt.Events = new RecordingPodEvents(events);
        await rt.SyncPodAsync(Pod("a"), default);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Eventually(() => events.Count == 3, "the start events");

        _ = rt.KillPodAsync("uid-a", TimeSpan.FromSeconds(10), default);

        Assert.Equal(
        [
            "Normal Pulled Container image \"nginx:1.25\" already present on machine spec.containers{app}",
            "Normal Created Created container: app spec.containers{app}",
            "Normal Started Started container app spec.containers{app}",
            "Normal Killing Stopping container app spec.containers{app}",
        ], events);
    }

    private sealed class RecordingPodEvents(System.Collections.Concurrent.ConcurrentQueue<string> events) : IPodEvents
    {
        public void Record(k8s.Models.V1Pod pod, string type, string reason, string message, string? fieldPath = null) =>
            events.Enqueue($"{type} {reason} {message} {fieldPath}");
    }

    [Fact]
    public async Task Sync_IsIdempotent_PerUid()
    {
        var rt = await RuntimeAsync();
        await rt.SyncPodAsync(Pod("a"), default);
        await rt.SyncPodAsync(Pod("a"), default);
        await rt.SyncPodAsync(Pod("b"), default);
        var pods = await rt.ListPodsAsync(default);
        Assert.Equal(2, pods.Count);
        Assert.Equal(["10.244.7.2", "10.244.7.3"], pods.Select(p => p.Ip).Order());
    }

    [Fact]
    public async Task Kill_HonoursTheScaledGracePeriod_AndAShorterKillShortensIt()
    {
        var rt = await RuntimeAsync(scale: 0.5);
        await rt.SyncPodAsync(Pod("a"), default);
        _time.Advance(TimeSpan.FromMilliseconds(200));

        var stop = rt.KillPodAsync("uid-a", TimeSpan.FromSeconds(10), default);
        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(20);
        Assert.False(stop.IsCompleted);

        var faster = rt.KillPodAsync("uid-a", TimeSpan.FromSeconds(2), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await faster.WaitAsync(TimeSpan.FromSeconds(5));
        await stop.WaitAsync(TimeSpan.FromSeconds(5));
        var stopped = (await rt.GetPodAsync("uid-a", default))!;
        Assert.NotNull(stopped.StoppedAt);
        Assert.False(stopped.SandboxReady);
        Assert.Equal(0, stopped.Containers.Single().ExitCode);
    }

    [Fact]
    public async Task Kill_IsBoundedByTheMaximum()
    {
        var rt = await RuntimeAsync(scale: 1, max: TimeSpan.FromSeconds(3));
        await rt.SyncPodAsync(Pod("a"), default);
        var stop = rt.KillPodAsync("uid-a", TimeSpan.FromSeconds(3600), default);
        _time.Advance(TimeSpan.FromSeconds(3));
        await stop.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Remove_ReleasesTheIp()
    {
        var rt = await RuntimeAsync();
        await rt.SyncPodAsync(Pod("a"), default);
        await rt.KillPodAsync("uid-a", TimeSpan.Zero, default);
        await rt.RemovePodAsync("uid-a", default);
        await rt.SyncPodAsync(Pod("b"), default);
        Assert.Equal("10.244.7.2", (await rt.GetPodAsync("uid-b", default))!.Ip);
        Assert.Null(await rt.GetPodAsync("uid-a", default));
    }

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("nginx:1.25", "docker.io/library/nginx:1.25")]
    [InlineData("bitnami/redis:7", "docker.io/bitnami/redis:7")]
    [InlineData("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10")]
    [InlineData("localhost:5000/app", "localhost:5000/app:latest")]
    public void ImageReference_IsNormalizedAsRuntimesReportIt(string image, string expected) =>
        Assert.Equal(expected, ImageReference.Normalize(image));
}
