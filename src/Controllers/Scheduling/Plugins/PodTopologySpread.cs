using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>
/// Topology spread. Filter: DoNotSchedule constraints (count in the node's domain + 1 − the global
/// minimum ≤ maxSkew). Score: ScheduleAnyway constraints, or, for a pod without constraints,
/// upstream's system defaults (hostname maxSkew 3, zone maxSkew 5) over the pods of the same
/// controlling owner: fewer matching pods in the node's domains scores higher (selector spreading).
/// </summary>
internal sealed class PodTopologySpread : IPreFilterPlugin, IFilterPlugin, IScorePlugin
{
    public const string Reason = "node(s) didn't match pod topology spread constraints";
    public const string MissingLabelReason = Reason + " (missing required label)";

    private const string HostnameKey = "kubernetes.io/hostname";
    private const string ZoneKey = "topology.kubernetes.io/zone";

    /// <summary>The cycle state key of the scoring constraints (read once per scored node: no string built each time).</summary>
    private const string ScoreKey = "PodTopologySpread/score";

    private static readonly FilterStatus Skewed = new(Reason);
    private static readonly FilterStatus MissingLabel = new(MissingLabelReason) { Unresolvable = true };

    public string Name => "PodTopologySpread";

    public int Weight => 2;

    private sealed record Hard(SpreadConstraint Constraint, Dictionary<string, int> Counts, int Min, bool SelfMatch);

    /// <summary>One scoring constraint: either a label selector (explicit) or the owner uid (system default).</summary>
    private sealed record Soft(string TopologyKey, int MaxSkew, SpreadConstraint? Explicit, string? OwnerUid, Dictionary<string, int> Counts, double Weight);

    private sealed record ScoreState(List<Soft> Constraints);

    public FilterStatus? PreFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot)
    {
        var hard = pod.SpreadConstraints.Where(c => c.Hard).ToList();
        if (hard.Count == 0)
        {
            return null;
        }

        var result = new List<Hard>(hard.Count);
        foreach (var c in hard)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var node in snapshot.Nodes)
            {
                if (!Eligible(pod, node, hard) || !node.Labels.TryGetValue(c.TopologyKey, out var value))
                {
                    continue;
                }

                counts[value] = counts.GetValueOrDefault(value) + CountMatching(node, pod.Namespace, c);
            }

            var min = counts.Count == 0 ? 0 : counts.Values.Min();
            result.Add(new Hard(c, counts, min, c.Selector.Matches(pod.Labels)));
        }

        state.Write(Name, result);
        return null;
    }

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<List<Hard>>(Name) is not { } hard)
        {
            return null;
        }

        foreach (var h in hard)
        {
            if (!node.Labels.TryGetValue(h.Constraint.TopologyKey, out var value))
            {
                return MissingLabel;
            }

            var count = h.Counts.GetValueOrDefault(value) + (h.SelfMatch ? 1 : 0);
            if (count - h.Min > h.Constraint.MaxSkew)
            {
                return Skewed;
            }
        }

        return null;
    }

    public void PreScore(CycleState state, PodInfo pod, ClusterSnapshot snapshot, IReadOnlyList<NodeInfo> feasible)
    {
        var soft = new List<Soft>();
        if (pod.SpreadConstraints.IsEmpty)
        {
            if (pod.OwnerUid is { } owner)
            {
                soft.Add(new Soft(HostnameKey, 3, null, owner, [], 0));
                soft.Add(new Soft(ZoneKey, 5, null, owner, [], 0));
            }
        }
        else
        {
            soft.AddRange(pod.SpreadConstraints.Where(c => !c.Hard).Select(c => new Soft(c.TopologyKey, c.MaxSkew, c, null, [], 0)));
        }

        if (soft.Count == 0)
        {
            return;
        }

        for (var i = 0; i < soft.Count; i++)
        {
            var s = soft[i];
            if (s.TopologyKey != HostnameKey)
            {
                // Domain counts over the whole cluster, not just the feasible nodes.
                foreach (var node in snapshot.Nodes)
                {
                    if (node.Labels.TryGetValue(s.TopologyKey, out var value))
                    {
                        s.Counts[value] = s.Counts.GetValueOrDefault(value) + Count(s, node, pod.Namespace);
                    }
                }
            }

            var domains = s.TopologyKey == HostnameKey ? feasible.Count : s.Counts.Count;
            soft[i] = s with { Weight = Math.Log(domains + 2) };
        }

        state.Write(ScoreKey, new ScoreState(soft));
    }

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<ScoreState>(ScoreKey) is not { } s)
        {
            return 0;
        }

        double score = 0;
        foreach (var c in s.Constraints)
        {
            if (!node.Labels.TryGetValue(c.TopologyKey, out var value) && c.TopologyKey != HostnameKey)
            {
                continue;
            }

            var count = c.TopologyKey == HostnameKey ? Count(c, node, pod.Namespace) : c.Counts.GetValueOrDefault(value!);
            score += (count * c.Weight) + (c.MaxSkew - 1);
        }

        return (long)Math.Round(score);
    }

    public void Normalize(CycleState state, Span<long> scores)
    {
        if (state.Read<ScoreState>(ScoreKey) is null)
        {
            scores.Clear();
            return;
        }

        long min = long.MaxValue, max = 0;
        foreach (var s in scores)
        {
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = max == 0 ? IScorePlugin.MaxNodeScore : IScorePlugin.MaxNodeScore * (max + min - scores[i]) / max;
        }
    }

    private static int Count(Soft c, NodeInfo node, string ns) =>
        c.OwnerUid is { } owner ? node.OwnerCounts.GetValueOrDefault(owner) : CountMatching(node, ns, c.Explicit!);

    /// <summary>Pods in the pod's namespace on the node that the constraint selects (terminating pods excluded).</summary>
    private static int CountMatching(NodeInfo node, string ns, SpreadConstraint c)
    {
        var n = 0;
        foreach (var p in node.Pods)
        {
            if (p.Namespace == ns && p.Pod.Metadata.DeletionTimestamp is null && c.Selector.Matches(p.Labels))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Only nodes the pod could go to by node affinity, with every constraint's key, count (nodeAffinityPolicy Honor).</summary>
    private static bool Eligible(PodInfo pod, NodeInfo node, List<SpreadConstraint> constraints)
    {
        foreach (var c in constraints)
        {
            if (!node.Labels.ContainsKey(c.TopologyKey))
            {
                return false;
            }
        }

        return NodeSelectors.MatchesRequired(pod.Pod, node);
    }
}
