using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling;

/// <summary>The outcome of one scheduling cycle: a node, or why none fits.</summary>
internal sealed record ScheduleResult(string? NodeName, FitError? Error, int Evaluated, int Feasible);

/// <summary>
/// One pod against one snapshot (upstream's schedulePod): pre-filter, filter nodes round-robin from
/// where the previous cycle stopped until enough feasible nodes are found (percentageOfNodesToScore,
/// adaptive by default, at least 100 nodes), score the feasible nodes, pick the best (ties broken at
/// random). Not thread-safe: one scheduling loop owns it.
/// </summary>
internal sealed class SchedulingAlgorithm(SchedulerProfile profile, SchedulerOptions options, Random random)
{
    private const int MinFeasibleNodesToFind = 100;
    private const int MinFeasibleNodesPercentageToFind = 5;

    private int _nextStartNodeIndex;

    public SchedulerProfile Profile => profile;

    public ScheduleResult Schedule(PodInfo pod, ClusterSnapshot snapshot)
    {
        var nodes = snapshot.Nodes;
        if (nodes.Length == 0)
        {
            return new ScheduleResult(null, new FitError(0, new Dictionary<string, int>()), 0, 0);
        }

        var state = new CycleState();
        foreach (var pre in profile.PreFilters)
        {
            if (pre.PreFilter(state, pod, snapshot) is { } rejected)
            {
                return new ScheduleResult(null, new FitError(nodes.Length, new Dictionary<string, int>(), rejected.ToString()), 0, 0);
            }
        }

        var want = NumFeasibleNodesToFind(nodes.Length);
        var feasible = new List<NodeInfo>(Math.Min(want, nodes.Length));
        Dictionary<string, int>? reasons = null;
        HashSet<string>? unresolvable = null;
        var evaluated = 0;
        var filters = profile.Filters;
        for (; evaluated < nodes.Length && feasible.Count < want; evaluated++)
        {
            var node = nodes[(_nextStartNodeIndex + evaluated) % nodes.Length];
            FilterStatus? failure = null;
            // An indexed loop: a foreach over the interface would allocate an enumerator per node.
            for (var k = 0; k < filters.Count; k++)
            {
                if ((failure = filters[k].Filter(state, pod, node)) is not null)
                {
                    break;
                }
            }

            if (failure is null)
            {
                feasible.Add(node);
                continue;
            }

            reasons ??= new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var r in failure.Reasons)
            {
                reasons[r] = reasons.GetValueOrDefault(r) + 1;
            }

            if (failure.Unresolvable)
            {
                (unresolvable ??= new HashSet<string>(StringComparer.Ordinal)).Add(node.Name);
            }
        }

        _nextStartNodeIndex = (_nextStartNodeIndex + evaluated) % nodes.Length;
        if (feasible.Count == 0)
        {
            return new ScheduleResult(null, new FitError(nodes.Length, reasons ?? new Dictionary<string, int>(), unresolvableNodes: unresolvable), evaluated, 0);
        }

        if (feasible.Count == 1)
        {
            return new ScheduleResult(feasible[0].Name, null, evaluated, 1);
        }

        return new ScheduleResult(SelectHost(state, pod, snapshot, feasible), null, evaluated, feasible.Count);
    }

    /// <summary>Upstream's numFeasibleNodesToFind: all nodes below 100, else a percentage (50 − nodes/125, at least 5%), at least 100.</summary>
    public int NumFeasibleNodesToFind(int allNodes)
    {
        if (allNodes < MinFeasibleNodesToFind)
        {
            return allNodes;
        }

        var percentage = options.PercentageOfNodesToScore;
        if (percentage <= 0)
        {
            percentage = Math.Max(MinFeasibleNodesPercentageToFind, 50 - (allNodes / 125));
        }

        var n = (int)((long)allNodes * Math.Min(100, percentage) / 100);
        return Math.Max(MinFeasibleNodesToFind, n);
    }

    private string SelectHost(CycleState state, PodInfo pod, ClusterSnapshot snapshot, List<NodeInfo> feasible)
    {
        var totals = new long[feasible.Count];
        var scores = new long[feasible.Count];
        foreach (var scorer in profile.Scorers)
        {
            scorer.PreScore(state, pod, snapshot, feasible);
            for (var i = 0; i < feasible.Count; i++)
            {
                scores[i] = scorer.Score(state, pod, feasible[i]);
            }

            scorer.Normalize(state, scores);
            for (var i = 0; i < feasible.Count; i++)
            {
                totals[i] += scores[i] * scorer.Weight;
            }
        }

        // Reservoir sampling among the best, so equal nodes share the load.
        var best = 0;
        var ties = 1;
        for (var i = 1; i < totals.Length; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
                ties = 1;
            }
            else if (totals[i] == totals[best] && random.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return feasible[best].Name;
    }
}
