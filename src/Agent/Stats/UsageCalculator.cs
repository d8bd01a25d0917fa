using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Stats;

/// <summary>
/// Turns successive cumulative samples into usage rates, as metrics-server does with the kubelet's
/// counters: CPU nanocores = Δ core-nanoseconds / Δ seconds between two samples of the same
/// container (same id: a restarted container starts over). A container seen for the first time
/// has no rate yet and is left out; a pod appears once one of its containers has a rate. Not
/// thread-safe: one reporter loop owns it.
/// </summary>
public sealed class UsageCalculator(TimeSpan firstWindow)
{
    private Dictionary<string, ContainerSample> _previous = new(StringComparer.Ordinal);
    private NodeSample? _previousNode;

    /// <summary>The report for this round; null when the node itself has no rate yet (the first round).</summary>
    public NodeStatsReport? Next(StatsSample sample)
    {
        var node = sample.Node;
        var nodeRate = Rate(_previousNode?.Timestamp, _previousNode?.CpuUsageNanoSeconds, node.Timestamp, node.CpuUsageNanoSeconds, node.CpuNanoCores);
        // A source that knows its rates reports from the first round; its window is then the interval.
        var window = _previousNode is { } p && node.Timestamp > p.Timestamp ? (node.Timestamp - p.Timestamp).TotalSeconds : firstWindow.TotalSeconds;
        _previousNode = node;

        var current = new Dictionary<string, ContainerSample>(sample.Containers.Count, StringComparer.Ordinal);
        var pods = new Dictionary<string, (ContainerSample First, List<ContainerUsage> Containers)>(StringComparer.Ordinal);
        foreach (var c in sample.Containers)
        {
            current[c.ContainerId] = c;
            _previous.TryGetValue(c.ContainerId, out var before);
            if (Rate(before?.Timestamp, before?.CpuUsageNanoSeconds, c.Timestamp, c.CpuUsageNanoSeconds, c.CpuNanoCores) is not { } rate)
            {
                continue;
            }

            if (!pods.TryGetValue(c.PodUid, out var pod))
            {
                pod = (c, []);
                pods[c.PodUid] = pod;
            }

            pod.Containers.Add(new ContainerUsage(c.Container, rate, Clamp(c.WorkingSetBytes)));
        }

        _previous = current;
        if (nodeRate is not { } cpu)
        {
            return null;
        }

        var usages = pods.Values
            .Select(p => new PodUsage(p.First.Namespace, p.First.PodName, p.First.PodUid, [.. p.Containers.OrderBy(c => c.Name, StringComparer.Ordinal)]))
            .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        return new NodeStatsReport(node.Timestamp, window, cpu, Clamp(node.WorkingSetBytes), usages);
    }

    /// <summary>Nanocores between two cumulative readings; null without a usable earlier reading.</summary>
    public static long? Rate(DateTime? before, ulong? usageBefore, DateTime now, ulong usageNow, ulong? knownRate = null)
    {
        if (knownRate is { } known)
        {
            return Clamp(known);
        }

        if (before is not { } t0 || usageBefore is not { } u0 || now <= t0 || usageNow < u0)
        {
            return null;
        }

        var seconds = (now - t0).TotalSeconds;
        return (long)Math.Round((usageNow - u0) / seconds);
    }

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
