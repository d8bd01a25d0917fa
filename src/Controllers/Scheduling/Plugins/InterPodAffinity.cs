using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>
/// Required inter-pod affinity and anti-affinity by topology key. Pre-filter counts, per
/// (topology key, value): the existing pods whose anti-affinity rejects the incoming pod, the pods
/// matching all of the incoming pod's affinity terms, and those matching its anti-affinity terms.
/// The per-node filter is then a few dictionary lookups, checked in upstream's order (affinity,
/// anti-affinity, existing pods' anti-affinity), which decides the reason a node reports.
/// </summary>
internal sealed class InterPodAffinity : IPreFilterPlugin, IFilterPlugin
{
    public const string ExistingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules";
    public const string AffinityReason = "node(s) didn't match pod affinity rules";
    public const string AntiAffinityReason = "node(s) didn't match pod anti-affinity rules";

    private static readonly FilterStatus ExistingAntiAffinity = new(ExistingAntiAffinityReason);
    private static readonly FilterStatus Affinity = new(AffinityReason) { Unresolvable = true };
    private static readonly FilterStatus AntiAffinity = new(AntiAffinityReason);

    public string Name => "InterPodAffinity";

    private sealed class State
    {
        public Dictionary<(string Key, string Value), int> ExistingAnti { get; } = [];

        public Dictionary<(string Key, string Value), int> Affinity { get; } = [];

        public Dictionary<(string Key, string Value), int> Anti { get; } = [];
    }

    public FilterStatus? PreFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot)
    {
        if (snapshot.PodsWithAffinity == 0 && !pod.HasRequiredAffinityTerms)
        {
            return null;
        }

        var s = new State();
        foreach (var node in snapshot.Nodes)
        {
            foreach (var existing in node.PodsWithAffinity)
            {
                foreach (var term in existing.RequiredAntiAffinity)
                {
                    if (term.Matches(pod) && node.Labels.TryGetValue(term.TopologyKey, out var value))
                    {
                        Increment(s.ExistingAnti, term.TopologyKey, value);
                    }
                }
            }

            if (!pod.HasRequiredAffinityTerms)
            {
                continue;
            }

            foreach (var existing in node.Pods)
            {
                if (pod.RequiredAffinity.Length > 0 && MatchesAll(pod.RequiredAffinity, existing))
                {
                    foreach (var term in pod.RequiredAffinity)
                    {
                        if (node.Labels.TryGetValue(term.TopologyKey, out var value))
                        {
                            Increment(s.Affinity, term.TopologyKey, value);
                        }
                    }
                }

                foreach (var term in pod.RequiredAntiAffinity)
                {
                    if (term.Matches(existing) && node.Labels.TryGetValue(term.TopologyKey, out var value))
                    {
                        Increment(s.Anti, term.TopologyKey, value);
                    }
                }
            }
        }

        state.Write(Name, s);
        return null;
    }

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<State>(Name) is not { } s)
        {
            return null;
        }

        if (!SatisfiesAffinity(s, pod, node))
        {
            return Affinity;
        }

        foreach (var term in pod.RequiredAntiAffinity)
        {
            if (node.Labels.TryGetValue(term.TopologyKey, out var value) && s.Anti.GetValueOrDefault((term.TopologyKey, value)) > 0)
            {
                return AntiAffinity;
            }
        }

        foreach (var ((key, value), count) in s.ExistingAnti)
        {
            if (count > 0 && node.Labels.TryGetValue(key, out var v) && v == value)
            {
                return ExistingAntiAffinity;
            }
        }

        return null;
    }

    private static bool SatisfiesAffinity(State s, PodInfo pod, NodeInfo node)
    {
        var podsExist = true;
        foreach (var term in pod.RequiredAffinity)
        {
            if (!node.Labels.TryGetValue(term.TopologyKey, out var value))
            {
                return false; // every topology label must exist on the node
            }

            if (s.Affinity.GetValueOrDefault((term.TopologyKey, value)) <= 0)
            {
                podsExist = false;
            }
        }

        // The first pod of a group whose affinity selects itself may go anywhere the labels exist.
        return podsExist || (s.Affinity.Count == 0 && MatchesAll(pod.RequiredAffinity, pod));
    }

    private static bool MatchesAll(System.Collections.Immutable.ImmutableArray<AffinityTerm> terms, PodInfo pod)
    {
        foreach (var t in terms)
        {
            if (!t.Matches(pod))
            {
                return false;
            }
        }

        return true;
    }

    private static void Increment(Dictionary<(string, string), int> counts, string key, string value) =>
        counts[(key, value)] = counts.GetValueOrDefault((key, value)) + 1;
}
