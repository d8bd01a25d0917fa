using KubeWeb.Core.Agents;

namespace KubeWeb.Api.Metrics;

/// <summary>
/// The last <see cref="MetricsOptions.HistoryWindow"/> of samples of one node or pod, oldest first,
/// in a ring of at most <c>capacity</c> entries (older entries are overwritten, and dropped when older
/// than the window). The ring grows as samples arrive, so a new pod costs a few entries, not the
/// whole window. Thread-safe: agents append, console requests read snapshots.
/// </summary>
internal sealed class UsageHistory<T>(int capacity)
    where T : IUsageSample
{
    private const int InitialSize = 4;
    private readonly Lock _lock = new();
    private T[] _ring = [];
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

            if (_count == _ring.Length && _ring.Length < capacity)
            {
                Grow();
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
    public List<T> Since(DateTime since)
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

    /// <summary>Entries the ring holds room for (grows up to the capacity).</summary>
    internal int Allocated
    {
        get
        {
            lock (_lock)
            {
                return _ring.Length;
            }
        }
    }

    private void Grow()
    {
        var grown = new T[Math.Min(capacity, Math.Max(InitialSize, _ring.Length * 2))];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _ring[(_start + i) % _ring.Length];
        }

        _ring = grown;
        _start = 0;
    }
}

internal interface IUsageSample
{
    DateTime Timestamp { get; }
}

/// <summary>A node's usage at one time.</summary>
internal sealed record NodeUsageSample(DateTime Timestamp, double WindowSeconds, long CpuNanoCores, long MemoryBytes) : IUsageSample;

/// <summary>A pod's containers at one time.</summary>
internal sealed record PodUsageSample(DateTime Timestamp, double WindowSeconds, IReadOnlyList<ContainerUsage> Containers) : IUsageSample
{
    public long CpuNanoCores => Containers.Sum(c => c.CpuNanoCores);

    public long MemoryBytes => Containers.Sum(c => c.MemoryBytes);
}

/// <summary>
/// A pod sample as its history keeps it, inline in the ring: for a pod of one container (the common
/// case) its usage and a name shared with the pod's other samples, so a sample allocates nothing
/// of its own; other shapes keep their container list. <see cref="ToSample"/> gives the API's form.
/// </summary>
internal readonly struct PodSampleSlot : IUsageSample
{
    private readonly long _cpuNanoCores;
    private readonly long _memoryBytes;

    /// <summary>The single container's name, or every container's usage.</summary>
    private readonly object _containers;

    private PodSampleSlot(DateTime timestamp, double windowSeconds, long cpu, long memory, object containers)
    {
        Timestamp = timestamp;
        WindowSeconds = windowSeconds;
        _cpuNanoCores = cpu;
        _memoryBytes = memory;
        _containers = containers;
    }

    public DateTime Timestamp { get; }

    public double WindowSeconds { get; }

    /// <summary>The container name this slot holds when it is a one-container sample (to share with the next one).</summary>
    public string? SingleName => _containers as string;

    /// <summary>
    /// Packs <paramref name="sample"/>; <paramref name="knownName"/> (the pod's previous single container
    /// name) is reused when equal, so the report's own copy of the string is not kept.
    /// </summary>
    public static PodSampleSlot From(PodUsageSample sample, string? knownName)
    {
        if (sample.Containers is [var only])
        {
            var name = only.Name == knownName ? knownName : only.Name;
            return new(sample.Timestamp, sample.WindowSeconds, only.CpuNanoCores, only.MemoryBytes, name);
        }

        return new(sample.Timestamp, sample.WindowSeconds, 0, 0, sample.Containers.ToArray());
    }

    public PodUsageSample ToSample() => new(Timestamp, WindowSeconds, _containers is string name
        ? [new ContainerUsage(name, _cpuNanoCores, _memoryBytes)]
        : (ContainerUsage[])_containers);
}
