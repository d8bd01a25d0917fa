namespace KubeWeb.Api.Metrics;

/// <summary>
/// The last <see cref="MetricsOptions.HistoryWindow"/> of samples of one node or pod, oldest first,
/// in a fixed-size ring (older entries are overwritten, and dropped when older than the window).
/// Thread-safe: agents append, console requests read snapshots.
/// </summary>
internal sealed class UsageHistory<T>(int capacity)
    where T : IUsageSample
{
    private readonly Lock _lock = new();
    private readonly T[] _ring = new T[capacity];
    private int _start;
    private int _count;

    public void Add(T sample)
    {
        lock (_lock)
        {
            if (_count > 0 && _ring[(_start + _count - 1) % _ring.Length].Timestamp >= sample.Timestamp)
            {
                // A repeated or out-of-order report (reconnect): keep the series monotonic.
                return;
            }

            if (_count < _ring.Length)
            {
                _ring[(_start + _count) % _ring.Length] = sample;
                _count++;
            }
            else
            {
                _ring[_start] = sample;
                _start = (_start + 1) % _ring.Length;
            }
        }
    }

    /// <summary>Samples not older than <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<T> Since(DateTime since)
    {
        lock (_lock)
        {
            var result = new List<T>(_count);
            for (var i = 0; i < _count; i++)
            {
                var s = _ring[(_start + i) % _ring.Length];
                if (s.Timestamp >= since)
                {
                    result.Add(s);
                }
            }

            return result;
        }
    }

    public DateTime? Latest
    {
        get
        {
            lock (_lock)
            {
                return _count == 0 ? null : _ring[(_start + _count - 1) % _ring.Length].Timestamp;
            }
        }
    }
}

internal interface IUsageSample
{
    DateTime Timestamp { get; }
}

/// <summary>A node's usage at one time.</summary>
internal sealed record NodeUsageSample(DateTime Timestamp, double WindowSeconds, long CpuNanoCores, long MemoryBytes) : IUsageSample;

/// <summary>A pod's containers at one time.</summary>
internal sealed record PodUsageSample(DateTime Timestamp, double WindowSeconds, IReadOnlyList<Core.Agents.ContainerUsage> Containers) : IUsageSample
{
    public long CpuNanoCores => Containers.Sum(c => c.CpuNanoCores);

    public long MemoryBytes => Containers.Sum(c => c.MemoryBytes);
}
