using System.Collections.Concurrent;
using KubeWeb.Core.Agents;

namespace KubeWeb.Api.Metrics;

/// <summary>
/// The latest usage every node reported and a short history per node and pod, in memory only
/// (as metrics-server: usage is re-measured every interval, so nothing is persisted, and each API
/// replica holds what its connected agents sent). A pod absent from its node's latest report has
/// no current metrics; its history ages out after <see cref="MetricsOptions.HistoryWindow"/>.
/// </summary>
public sealed class MetricsStore(MetricsOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Namespace, string Name), PodEntry> _pods = new();
    private DateTime _lastPrune;

    /// <summary>
    /// Records a node's report; <paramref name="pods"/> are the report's pods the server verified are
    /// bound to the node. Samples are stamped with the server's clock on arrival, so a node whose
    /// clock is off still has current metrics and every series shares one time base.
    /// </summary>
    public void Record(string node, NodeStatsReport report, IReadOnlyList<PodUsage> pods)
    {
        report = report with { Timestamp = time.GetUtcNow().UtcDateTime };
        var entry = _nodes.GetOrAdd(node, _ => new NodeEntry(new UsageHistory<NodeUsageSample>(options.HistoryCapacity)));
        var sample = new NodeUsageSample(report.Timestamp, report.WindowSeconds, report.CpuNanoCores, report.MemoryBytes);
        entry.History.Add(sample);
        var current = new HashSet<(string, string)>();
        foreach (var pod in pods)
        {
            var key = (pod.Namespace, pod.Name);
            current.Add(key);
            var podEntry = _pods.AddOrUpdate(
                key,
                _ => new PodEntry(node, pod.Uid, new UsageHistory<PodSampleSlot>(options.HistoryCapacity)),
                (_, old) => old.Uid == pod.Uid ? old with { Node = node } : new PodEntry(node, pod.Uid, new UsageHistory<PodSampleSlot>(options.HistoryCapacity)));
            var podSample = new PodUsageSample(report.Timestamp, report.WindowSeconds, pod.Containers);
            var slot = PodSampleSlot.From(podSample, podEntry.ContainerName);
            podEntry.ContainerName = slot.SingleName ?? podEntry.ContainerName;
            podEntry.History.Add(slot);
            podEntry.Latest = podSample;
        }

        entry.Latest = sample;
        entry.Pods = current;
        if (report.Timestamp - _lastPrune > TimeSpan.FromSeconds(30))
        {
            _lastPrune = report.Timestamp;
            Prune();
        }
    }

    /// <summary>A node's current usage; null when it has none or its agent stopped reporting.</summary>
    internal NodeUsageSample? Node(string name) =>
        _nodes.TryGetValue(name, out var e) && e.Latest is { } s && IsFresh(s.Timestamp) ? s : null;

    internal IEnumerable<(string Name, NodeUsageSample Usage)> Nodes() =>
        _nodes.Select(kv => (kv.Key, Usage: Node(kv.Key))).Where(n => n.Usage is not null).Select(n => (n.Key, n.Usage!));

    /// <summary>A pod's current usage: in its node's latest, fresh report.</summary>
    internal (string Uid, PodUsageSample Usage)? Pod(string ns, string name) =>
        _pods.TryGetValue((ns, name), out var p) && p.Latest is { } s && IsCurrent(p, ns, name) ? (p.Uid, s) : null;

    internal IEnumerable<(string Namespace, string Name, string Uid, PodUsageSample Usage)> Pods(string? ns)
    {
        foreach (var ((podNs, name), p) in _pods)
        {
            if ((ns is null || podNs == ns) && p.Latest is { } s && IsCurrent(p, podNs, name))
            {
                yield return (podNs, name, p.Uid, s);
            }
        }
    }

    internal IReadOnlyList<NodeUsageSample>? NodeHistory(string name) =>
        _nodes.TryGetValue(name, out var e) ? e.History.Since(Horizon) : null;

    internal IEnumerable<string> NodeNames() => _nodes.Keys;

    internal (string Uid, IReadOnlyList<PodUsageSample> Samples)? PodHistory(string ns, string name) =>
        _pods.TryGetValue((ns, name), out var p) ? (p.Uid, p.History.Since(Horizon).ConvertAll(s => s.ToSample())) : null;

    internal IEnumerable<(string Namespace, string Name)> PodKeys(string? ns) =>
        _pods.Keys.Where(k => ns is null || k.Namespace == ns);

    private DateTime Horizon => time.GetUtcNow().UtcDateTime - options.HistoryWindow;

    private bool IsFresh(DateTime timestamp) => time.GetUtcNow().UtcDateTime - timestamp <= options.StaleAfter;

    private bool IsCurrent(PodEntry pod, string ns, string name) =>
        _nodes.TryGetValue(pod.Node, out var node) && node.Latest is { } n && IsFresh(n.Timestamp) && node.Pods.Contains((ns, name));

    /// <summary>Forgets pods and nodes whose newest sample left the history window.</summary>
    private void Prune()
    {
        var horizon = Horizon;
        foreach (var (key, p) in _pods)
        {
            if (p.History.Latest is not { } latest || latest < horizon)
            {
                _pods.TryRemove(new KeyValuePair<(string, string), PodEntry>(key, p));
            }
        }

        foreach (var (key, n) in _nodes)
        {
            if (n.History.Latest is not { } latest || latest < horizon)
            {
                _nodes.TryRemove(new KeyValuePair<string, NodeEntry>(key, n));
            }
        }
    }

    private sealed class NodeEntry(UsageHistory<NodeUsageSample> history)
    {
        public UsageHistory<NodeUsageSample> History { get; } = history;

        public volatile NodeUsageSample? Latest;

        public volatile HashSet<(string, string)> Pods = [];
    }

    private sealed record PodEntry(string Node, string Uid, UsageHistory<PodSampleSlot> History)
    {
        public PodUsageSample? Latest { get; set; }

        /// <summary>The name the pod's one-container samples share.</summary>
        public string? ContainerName { get; set; }
    }
}
