using KubeWeb.Agent.Pods;
using KubeWeb.Core.Agents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static KubeWeb.Agent.Tests.TestPods;

namespace KubeWeb.Agent.Tests.Pods;

public sealed class PodStatusBatcherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeStatusClient _client = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly PodStatusBatcher _batcher;
    private readonly Task _run;

    public PodStatusBatcherTests()
    {
        _batcher = new PodStatusBatcher(_time, NullLogger.Instance) { FlushDelay = TimeSpan.FromMilliseconds(100), MaxBatch = 3 };
        _run = _batcher.RunAsync(_client, _cts.Token);
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }

    private static PodStatusReport Report(string name, string status = "{}", bool terminated = false) =>
        new("default", name, "uid-" + name, status, terminated);

    [Fact]
    public async Task ReportsWithinTheFlushDelay_GoInOneBatch_LatestPerPodWins()
    {
        _batcher.Report(Report("a", "{\"phase\":\"Pending\"}"));
        _batcher.Report(Report("b"));
        _batcher.Report(Report("a", "{\"phase\":\"Running\"}"));
        await Task.Delay(20);
        Assert.Empty(_client.Batches);

        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 1, "one batch");
        var batch = _client.Batches.Single();
        Assert.Equal(2, batch.Count);
        Assert.Equal("{\"phase\":\"Running\"}", batch.Single(r => r.Name == "a").Status);
        await Eventually(() => _batcher.PendingCount == 0, "nothing pending");
    }

    [Fact]
    public async Task ManyReports_AreSplitIntoBatchesOfMaxBatch()
    {
        foreach (var n in new[] { "a", "b", "c", "d", "e" })
        {
            _batcher.Report(Report(n));
        }

        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _batcher.PendingCount == 0, "all sent");
        Assert.Equal([3, 2], _client.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task FailedReports_StayPending_AndAreRetriedAfterBackoff()
    {
        var failures = 1;
        _client.Outcome = r => r.Name == "a" && failures-- > 0 ? PodStatusOutcome.Failed : PodStatusOutcome.Applied;
        _batcher.Report(Report("a"));
        _batcher.Report(Report("b"));
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 1, "the first batch");
        Assert.Equal(1, _batcher.PendingCount);

        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 2, "the retry");
        Assert.Equal("a", Assert.Single(_client.Batches.Last()).Name);
        await Eventually(() => _batcher.PendingCount == 0, "nothing pending");
    }

    [Fact]
    public async Task ConnectionFailure_KeepsEverythingPending_UntilASendSucceeds()
    {
        _client.FailCalls = 2;
        _batcher.Report(Report("a"));
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 1, "the first attempt");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 2, "the second attempt");
        Assert.Equal(1, _batcher.PendingCount);
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 3 && _batcher.PendingCount == 0, "the third, successful attempt");
    }

    [Fact]
    public async Task GonePods_AreDropped_AndForgottenPodsAreNotSent()
    {
        _client.Outcome = _ => PodStatusOutcome.Gone;
        _batcher.Report(Report("a"));
        _batcher.Report(Report("b"));
        _batcher.Forget("uid-b");
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 1 && _batcher.PendingCount == 0, "the batch");
        Assert.Equal("a", Assert.Single(_client.Batches.Single()).Name);
    }

    [Fact]
    public async Task ReportReplacedWhileInFlight_IsSentAgain()
    {
        _client.Hold = new TaskCompletionSource();
        _batcher.Report(Report("a", "{\"v\":1}"));
        await AdvanceUntil(_time, TimeSpan.FromMilliseconds(50), () => _client.Batches.Count == 1, "the first batch in flight");
        _batcher.Report(Report("a", "{\"v\":2}"));
        var hold = _client.Hold;
        _client.Hold = null;
        hold.SetResult();

        await Eventually(() => _client.Batches.Count == 2 && _batcher.PendingCount == 0, "the newer report");
        Assert.Equal("{\"v\":2}", _client.Batches.Last().Single().Status);
    }
}
