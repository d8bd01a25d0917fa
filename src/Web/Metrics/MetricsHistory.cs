using KubeWeb.Web.Api;

namespace KubeWeb.Web.Metrics;

public enum MetricsState
{
    /// <summary>No poll has answered yet.</summary>
    Unknown,
    Available,

    /// <summary>The API has no metrics.k8s.io (404): the console says so and keeps asking, quietly.</summary>
    NotAvailable,

    /// <summary>The last poll failed for another reason (API down, 403); earlier samples are kept.</summary>
    Failed,
}

/// <summary>
/// The circuit's recent usage: polls metrics.k8s.io every <see cref="Interval"/> from the first
/// time a view asks, and keeps the last <see cref="Capacity"/> samples per node, per pod and for
/// the cluster (sum of nodes). Series live in memory only and go with the circuit; samples with
/// a timestamp already held are not added twice.
/// </summary>
public sealed class MetricsHistory(IMetricsSource source, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    public const int Capacity = 80;
    public const string ClusterKey = "cluster";

    private readonly Dictionary<string, List<UsageSample>> _series = [];
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _lock = new();
    private MetricsReading? _last;
    private int _started;

    /// <summary>Raised after each poll (from the polling task).</summary>
    private readonly HashSet<string> _seeded = new(StringComparer.Ordinal);

    public event Action? Updated;

    public MetricsState State { get; private set; }

    public string? Problem { get; private set; }

    public static string NodeKey(string node) => "node/" + node;

    public static string PodKey(string ns, string pod) => $"pod/{ns}/{pod}";

    /// <summary>Starts polling (once per circuit); views call it when they first render.</summary>
    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = PollLoopAsync(_cts.Token);
        }
    }

    /// <summary>
    /// Fills <paramref name="key"/>'s series with the usage the API remembers from before this
    /// circuit started polling (once per key), so a chart opened now shows the last minutes at once.
    /// </summary>
    public void EnsureHistory(string key)
    {
        lock (_lock)
        {
            if (!_seeded.Add(key))
            {
                return;
            }
        }

        _ = SeedAsync(key, _cts.Token);
    }

    /// <summary>Public so tests await it; views call <see cref="EnsureHistory"/>.</summary>
    public async Task SeedAsync(string key, CancellationToken ct)
    {
        IReadOnlyList<UsageSample> earlier;
        try
        {
            earlier = await source.ReadHistoryAsync(key, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return; // The history is a nicety: polling still fills the series.
        }

        if (earlier.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            _series.TryGetValue(key, out var current);
            var first = current is { Count: > 0 } ? current[0].At : DateTimeOffset.MaxValue;
            var merged = earlier.Where(s => s.At < first).OrderBy(s => s.At).Concat(current ?? []).ToList();
            _series[key] = merged.Count > Capacity ? merged[^Capacity..] : merged;
        }

        Updated?.Invoke();
    }

    public IReadOnlyList<UsageSample> Series(string key)
    {
        lock (_lock)
        {
            return _series.TryGetValue(key, out var s) ? [.. s] : [];
        }
    }

    public UsageSample? Latest(string key)
    {
        lock (_lock)
        {
            return _series.TryGetValue(key, out var s) && s.Count > 0 ? s[^1] : null;
        }
    }

    /// <summary>Per-container usage of a pod from the last poll.</summary>
    public IReadOnlyList<(string Container, UsageSample Usage)> Containers(string ns, string pod) =>
        _last?.Containers.TryGetValue($"{ns}/{pod}", out var c) == true ? c : [];

    /// <summary>One poll; public so tests drive it without waiting for the timer.</summary>
    public async Task PollAsync(CancellationToken ct)
    {
        try
        {
            var reading = await source.ReadAsync(ct);
            lock (_lock)
            {
                _last = reading;
                foreach (var (node, usage) in reading.Nodes)
                {
                    Add(NodeKey(node), usage);
                }

                foreach (var (pod, usage) in reading.Pods)
                {
                    var slash = pod.IndexOf('/');
                    Add(PodKey(pod[..slash], pod[(slash + 1)..]), usage);
                }

                if (reading.Nodes.Count > 0)
                {
                    Add(ClusterKey, reading.Nodes.Values.Aggregate((a, b) => a + b));
                }
            }

            State = MetricsState.Available;
            Problem = null;
        }
        catch (MetricsNotAvailableException e)
        {
            State = MetricsState.NotAvailable;
            Problem = e.Message;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            State = MetricsState.Failed;
            Problem = ApiErrors.Describe(e).ToString();
        }

        Updated?.Invoke();
    }

    private void Add(string key, UsageSample sample)
    {
        if (!_series.TryGetValue(key, out var list))
        {
            _series[key] = list = [];
        }

        if (list.Count > 0 && list[^1].At >= sample.At)
        {
            return;
        }

        list.Add(sample);
        if (list.Count > Capacity)
        {
            list.RemoveAt(0);
        }
    }

    private async Task PollLoopAsync(CancellationToken ct)
    {
        try
        {
            await PollAsync(ct);
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                await PollAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
