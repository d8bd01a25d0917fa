namespace KubeWeb.Core.Queues;

/// <summary>How long an item waits before it is retried. Tiny seam so tests can pin delays.</summary>
public interface IRateLimiter<in T>
{
    TimeSpan When(T item);

    void Forget(T item);

    int Retries(T item);
}

/// <summary>Per-item exponential back-off: base·2^failures, capped (client-go's 5 ms → 1000 s).</summary>
public sealed class ItemExponentialRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _failures = [];
    private readonly Lock _lock = new();

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var n = _failures.GetValueOrDefault(item);
            _failures[item] = n + 1;
            var ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(n, 62));
            return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
        }
    }

    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int Retries(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}

/// <summary>A shared token bucket (qps, burst) across all items: the overall retry budget.</summary>
public sealed class BucketRateLimiter<T>(double qps, int burst, TimeProvider time) : IRateLimiter<T>
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private DateTimeOffset _last = time.GetUtcNow();

    public TimeSpan When(T item)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _tokens = Math.Min(burst, _tokens + ((now - _last).TotalSeconds * qps));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / qps);
        }
    }

    public void Forget(T item)
    {
    }

    public int Retries(T item) => 0;
}

/// <summary>The larger delay of several limiters (client-go's default controller rate limiter).</summary>
public sealed class MaxOfRateLimiter<T>(params IRateLimiter<T>[] limiters) : IRateLimiter<T>
{
    public TimeSpan When(T item) => limiters.Select(l => l.When(item)).Max();

    public void Forget(T item)
    {
        foreach (var l in limiters)
        {
            l.Forget(item);
        }
    }

    public int Retries(T item) => limiters.Max(l => l.Retries(item));
}

public static class RateLimiters
{
    /// <summary>client-go's DefaultControllerRateLimiter: per item 5 ms → 1000 s, overall 10 qps with a burst of 100.</summary>
    public static IRateLimiter<T> DefaultController<T>(TimeProvider time)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, time));
}
