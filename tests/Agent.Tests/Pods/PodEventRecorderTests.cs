using System.Collections.Concurrent;
using KubeWeb.Agent.Pods;
using KubeWeb.Core.Agents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static KubeWeb.Agent.Tests.TestPods;

namespace KubeWeb.Agent.Tests.Pods;

public sealed class PodEventRecorderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly FakeEventClient _client = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly PodEventRecorder _recorder;

    public PodEventRecorderTests()
    {
        _recorder = new PodEventRecorder(_time, NullLogger.Instance) { FlushDelay = TimeSpan.FromMilliseconds(100) };
        _ = _recorder.RunAsync(_client, _cts.Token);
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }

    [Fact]
    public async Task ARepeat_BumpsCountAndLastTimestamp_OfTheSameEvent()
    {
        var pod = Pod("web");
        _recorder.Record(pod, "Warning", "BackOff", "Back-off restarting failed container app", "spec.containers{app}");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Sent.Count == 1, "the first event");
        _time.Advance(TimeSpan.FromSeconds(30));
        _recorder.Record(pod, "Warning", "BackOff", "Back-off restarting failed container app", "spec.containers{app}");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Sent.Count == 2, "the repeat");

        var first = _client.Sent.First();
        var repeat = _client.Sent.Last();
        Assert.Equal(first.Name, repeat.Name);
        Assert.StartsWith("web.", first.Name, StringComparison.Ordinal);
        Assert.Equal((1, 2), (first.Count, repeat.Count));
        Assert.Equal(first.FirstTimestamp, repeat.FirstTimestamp);
        Assert.Equal(first.FirstTimestamp.AddSeconds(30), repeat.LastTimestamp);
        Assert.Equal(("default", "web", pod.Metadata.Uid, "spec.containers{app}"), (repeat.Namespace, repeat.PodName, repeat.PodUid, repeat.FieldPath));
    }

    [Fact]
    public async Task ADifferentMessageOrContainer_IsANewEvent_AndRepeatsAfterTheWindowStartOver()
    {
        var pod = Pod("web");
        _recorder.Record(pod, "Normal", "Started", "Started container a", "spec.containers{a}");
        _recorder.Record(pod, "Normal", "Started", "Started container b", "spec.containers{b}");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Sent.Count == 2, "two events");
        _time.Advance(TimeSpan.FromMinutes(11));
        _recorder.Record(pod, "Normal", "Started", "Started container a", "spec.containers{a}");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Sent.Count == 3, "the late repeat");

        Assert.Equal(3, _client.Sent.Select(e => e.Name).Distinct().Count());
        Assert.All(_client.Sent, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task RepeatsWithinOneFlush_SendOnlyTheLatestCount()
    {
        var pod = Pod("web");
        for (var i = 0; i < 5; i++)
        {
            _recorder.Record(pod, "Warning", "Unhealthy", "Liveness probe failed: ", "spec.containers{app}");
        }

        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _recorder.PendingCount == 0 && _client.Sent.Count > 0, "sent");
        Assert.Equal(5, Assert.Single(_client.Sent).Count);
    }

    [Fact]
    public async Task AFailedSend_IsRetried()
    {
        _client.Failures = 2;
        _recorder.Record(Pod("web"), "Normal", "Pulled", "Container image \"busybox\" already present on machine", "spec.containers{app}");

        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(100), () => _client.Sent.Count == 1, "sent after two failures");
        Assert.Equal(3, _client.Calls);
        Assert.Equal(0, _recorder.PendingCount);
    }

    [Fact]
    public async Task PastTheSpamBurst_RepeatsWaitForARefill_ThenCarryTheFullCount()
    {
        var pod = Pod("web");
        for (var i = 0; i < PodEventRecorder.SpamBurst; i++)
        {
            _recorder.Record(pod, "Warning", "Unhealthy", "Readiness probe failed: ", "spec.containers{app}");
            await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _recorder.PendingCount == 0, "sent");
        }

        var sent = _client.Sent.Count;
        _recorder.Record(pod, "Warning", "Unhealthy", "Readiness probe failed: ", "spec.containers{app}");
        Assert.Equal(0, _recorder.PendingCount);

        _time.Advance(PodEventRecorder.SpamRefill);
        _recorder.Record(pod, "Warning", "Unhealthy", "Readiness probe failed: ", "spec.containers{app}");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Sent.Count == sent + 1, "the refilled update");
        Assert.Equal(PodEventRecorder.SpamBurst + 2, _client.Sent.Last().Count);
    }

    [Fact]
    public void BeyondMaxPending_TheOldestEventsAreDropped()
    {
        var recorder = new PodEventRecorder(_time, NullLogger.Instance) { MaxPending = 2 };
        recorder.Record(Pod("a"), "Warning", "Unhealthy", "a");
        recorder.Record(Pod("b"), "Warning", "Unhealthy", "b");
        recorder.Record(Pod("c"), "Warning", "Unhealthy", "c");

        Assert.Equal(2, recorder.PendingCount);
    }

    [Fact]
    public async Task LongMessages_AreCutTo1024Characters()
    {
        _recorder.Record(Pod("web"), "Warning", "Unhealthy", "Readiness probe failed: " + new string('x', 5000), "spec.containers{app}");

        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Sent.Count == 1, "sent");
        Assert.Equal(1024, _client.Sent.Single().Message.Length);
    }

    private sealed class FakeEventClient : IPodEventClient
    {
        public ConcurrentQueue<PodEventReport> Sent { get; } = new();

        public int Failures { get; set; }

        public int Calls { get; private set; }

        public Task<int> ReportEventsAsync(IReadOnlyList<PodEventReport> reports, CancellationToken ct)
        {
            Calls++;
            if (Failures > 0)
            {
                Failures--;
                throw new InvalidOperationException("not registered on the current connection");
            }

            foreach (var r in reports)
            {
                Sent.Enqueue(r);
            }

            return Task.FromResult(reports.Count);
        }
    }
}
