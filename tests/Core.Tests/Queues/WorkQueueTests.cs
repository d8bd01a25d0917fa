using KubeWeb.Core.Queues;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Core.Tests.Queues;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static WorkQueue<string> NewQueue(FakeTimeProvider time) =>
        new(new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)), time);

    [Fact]
    public async Task Add_SameKeyTwiceBeforeProcessing_IsProcessedOnce()
    {
        using var q = NewQueue(new FakeTimeProvider());
        q.Add("a");
        q.Add("a");
        q.Add("b");
        Assert.Equal(2, q.Count);
        var (_, first) = await q.GetAsync(CancellationToken.None).WaitAsync(Wait);
        Assert.Equal("a", first);
    }

    [Fact]
    public async Task Add_WhileProcessing_RequeuesAfterDone_NotConcurrently()
    {
        using var q = NewQueue(new FakeTimeProvider());
        q.Add("a");
        var (_, item) = await q.GetAsync(CancellationToken.None).WaitAsync(Wait);
        q.Add("a");
        Assert.Equal(0, q.Count);
        q.Done(item);
        Assert.Equal(1, q.Count);
        var (ok, again) = await q.GetAsync(CancellationToken.None).WaitAsync(Wait);
        Assert.True(ok);
        Assert.Equal("a", again);
    }

    [Fact]
    public void AddRateLimited_WaitsForExponentialBackoff()
    {
        var time = new FakeTimeProvider();
        using var q = NewQueue(time);
        q.AddRateLimited("a"); // 5 ms
        q.AddRateLimited("a"); // 10 ms
        Assert.Equal(0, q.Count);
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, q.Count);
        Assert.Equal(2, q.Retries("a"));
        q.Forget("a");
        Assert.Equal(0, q.Retries("a"));
    }

    [Fact]
    public void ItemExponential_CapsAtMaximum()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        TimeSpan last = default;
        for (var i = 0; i < 40; i++)
        {
            last = limiter.When("x");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), last);
    }

    [Fact]
    public void Bucket_AfterBurst_DelaysByQps()
    {
        var time = new FakeTimeProvider();
        var bucket = new BucketRateLimiter<string>(10, 2, time);
        Assert.Equal(TimeSpan.Zero, bucket.When("a"));
        Assert.Equal(TimeSpan.Zero, bucket.When("b"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("c"));
    }

    [Fact]
    public async Task ShutDown_ReleasesWaitingWorkers()
    {
        using var q = NewQueue(new FakeTimeProvider());
        var waiting = q.GetAsync(CancellationToken.None);
        q.ShutDown();
        var (ok, _) = await waiting.WaitAsync(Wait);
        Assert.False(ok);
    }
}
