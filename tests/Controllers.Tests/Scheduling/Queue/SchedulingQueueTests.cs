using KubeWeb.Controllers.Scheduling;
using KubeWeb.Controllers.Scheduling.Queue;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Controllers.Tests.Scheduling.Queue;

public sealed class SchedulingQueueTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly SchedulingQueue _queue;

    public SchedulingQueueTests() => _queue = new SchedulingQueue(new SchedulerOptions(), _time);

    [Fact]
    public void Backoff_DoublesFromOneSecond_UpToTen()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), _queue.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(2), _queue.Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(8), _queue.Backoff(4));
        Assert.Equal(TimeSpan.FromSeconds(10), _queue.Backoff(5));
        Assert.Equal(TimeSpan.FromSeconds(10), _queue.Backoff(50));
    }

    [Fact]
    public async Task ClusterEventDuringAnAttempt_SendsTheFailedPodToBackoff_NotToTheParkedSet()
    {
        _queue.AddOrUpdate("ns/p", 0, false);
        var (_, key, cycle) = await _queue.PopAsync(CancellationToken.None);
        _queue.MoveAllToActiveOrBackoff(); // a node was added while the pod was being scheduled
        _queue.AddUnschedulable(key, cycle);
        Assert.False(_queue.IsUnschedulable(key));
        Assert.Equal(1, _queue.BackoffCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        _queue.Flush();
        Assert.Equal(1, _queue.ActiveCount);
    }

    [Fact]
    public async Task ParkedPod_IsRetriedAfterFiveMinutes_WithoutAnyEvent()
    {
        _queue.AddOrUpdate("ns/p", 0, false);
        var (_, key, cycle) = await _queue.PopAsync(CancellationToken.None);
        _queue.AddUnschedulable(key, cycle);
        _time.Advance(TimeSpan.FromMinutes(4));
        _queue.Flush();
        Assert.True(_queue.IsUnschedulable(key));

        _time.Advance(TimeSpan.FromMinutes(1));
        _queue.Flush();
        Assert.Equal(1, _queue.ActiveCount);
    }

    [Fact]
    public async Task DeletedPod_LeavesEveryQueue()
    {
        _queue.AddOrUpdate("ns/a", 0, false);
        _queue.AddOrUpdate("ns/b", 0, false);
        _queue.Delete("ns/a");
        var (ok, key, _) = await _queue.PopAsync(CancellationToken.None);
        Assert.True(ok);
        Assert.Equal("ns/b", key);
        Assert.Equal(0, _queue.ActiveCount);
    }
}
