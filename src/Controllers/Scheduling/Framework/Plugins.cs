using KubeWeb.Controllers.Scheduling.Cache;

namespace KubeWeb.Controllers.Scheduling.Framework;

/// <summary>A scheduler plugin: a small stateless class with the upstream plugin name.</summary>
internal interface ISchedulerPlugin
{
    string Name { get; }
}

/// <summary>
/// Computes per-pod state once per cycle (into <see cref="CycleState"/>) before nodes are filtered;
/// returning a status rejects the pod on every node.
/// </summary>
internal interface IPreFilterPlugin : ISchedulerPlugin
{
    FilterStatus? PreFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot);
}

/// <summary>Decides whether the pod fits on one node: null when it does, otherwise why not. Must be cheap.</summary>
internal interface IFilterPlugin : ISchedulerPlugin
{
    FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node);
}

/// <summary>
/// Ranks the feasible nodes: <see cref="Score"/> per node, then <see cref="Normalize"/> brings the
/// scores of all feasible nodes into 0..<see cref="MaxNodeScore"/>; the result is multiplied by
/// <see cref="Weight"/> and summed over plugins.
/// </summary>
internal interface IScorePlugin : ISchedulerPlugin
{
    const long MaxNodeScore = 100;

    int Weight { get; }

    void PreScore(CycleState state, PodInfo pod, ClusterSnapshot snapshot, IReadOnlyList<NodeInfo> feasible)
    {
    }

    long Score(CycleState state, PodInfo pod, NodeInfo node);

    void Normalize(CycleState state, Span<long> scores)
    {
    }
}

/// <summary>Why a pod does not fit a node: one or more upstream reason strings (counted per node in the message).</summary>
internal sealed class FilterStatus(params string[] reasons)
{
    public IReadOnlyList<string> Reasons { get; } = reasons;

    /// <summary>
    /// Upstream's UnschedulableAndUnresolvable: removing pods from the node would not help (a taint,
    /// a node selector, a cordon), so preemption does not try the node.
    /// </summary>
    public bool Unresolvable { get; init; }

    public override string ToString() => string.Join(", ", Reasons);
}

/// <summary>Data plugins compute once per scheduling cycle (pre-filter, pre-score) and read per node.</summary>
internal sealed class CycleState
{
    private readonly Dictionary<string, object> _data = new(StringComparer.Ordinal);

    public void Write(string key, object value) => _data[key] = value;

    public T? Read<T>(string key)
        where T : class => _data.TryGetValue(key, out var v) ? v as T : null;
}

/// <summary>Upstream's helper for scores that count something: scale to 0..100 by the maximum, optionally reversed.</summary>
internal static class ScoreNormalizer
{
    public static void Default(Span<long> scores, bool reverse)
    {
        long max = 0;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        if (max == 0)
        {
            if (reverse)
            {
                scores.Fill(IScorePlugin.MaxNodeScore);
            }

            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var s = IScorePlugin.MaxNodeScore * scores[i] / max;
            scores[i] = reverse ? IScorePlugin.MaxNodeScore - s : s;
        }
    }
}
