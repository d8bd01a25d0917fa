using KubeWeb.Controllers.Apps;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Controllers.Tests.Apps;

public class RuntimePartsTests
{
    [Fact]
    public async Task SlowStart_RunsBatchesOfOneTwoFour()
    {
        var calls = 0;
        var (successes, error) = await SlowStart.RunAsync(7, 1, _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });

        Assert.Equal(7, successes);
        Assert.Null(error);
        Assert.Equal(7, calls);
    }

    [Fact]
    public async Task SlowStart_StopsAfterTheFirstFailingBatch()
    {
        var calls = 0;
        var (successes, error) = await SlowStart.RunAsync(10, 1, i =>
        {
            Interlocked.Increment(ref calls);
            return i >= 1 ? Task.FromException(new InvalidOperationException("quota")) : Task.CompletedTask;
        });

        // Batch 1 (index 0) succeeds; batch 2 (indexes 1, 2) fails; nothing after.
        Assert.Equal(1, successes);
        Assert.Equal(3, calls);
        Assert.Equal("quota", error?.Message);
    }

    [Fact]
    public void Expectations_HoldUntilObservedOrExpired()
    {
        var time = new FakeTimeProvider();
        var e = new ControllerExpectations(time);
        Assert.True(e.Satisfied("ns/rs"));

        e.ExpectCreations("ns/rs", 2);
        Assert.False(e.Satisfied("ns/rs"));
        e.CreationObserved("ns/rs");
        Assert.False(e.Satisfied("ns/rs"));
        e.CreationObserved("ns/rs");
        Assert.True(e.Satisfied("ns/rs"));

        e.ExpectDeletions("ns/rs", ["ns/a", "ns/b"]);
        e.DeletionObserved("ns/rs", "ns/a");
        e.DeletionObserved("ns/rs", "ns/a");
        Assert.False(e.Satisfied("ns/rs"));
        time.Advance(ControllerExpectations.Timeout + TimeSpan.FromSeconds(1));
        Assert.True(e.Satisfied("ns/rs"));
    }
}
