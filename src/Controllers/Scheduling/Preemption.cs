using k8s.Models;
using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Controllers.Scheduling;

/// <summary>A node where the pod fits once <see cref="Victims"/> are gone.</summary>
internal sealed record PreemptionCandidate(string Node, IReadOnlyList<PodInfo> Victims, int BudgetViolations);

/// <summary>
/// What preemption concluded: a candidate, or the verdict that goes after "preemption: " in the fit
/// error; null when no node can be helped (the fit error's own "Preemption is not helpful").
/// </summary>
internal sealed record PreemptionOutcome(PreemptionCandidate? Candidate, string? Message);

/// <summary>
/// Upstream's DefaultPreemption post-filter, for a pod that fits no node: on every node where
/// removing pods could help, take away all pods of lower priority; if the pod then fits, give back
/// as many of them as still let it fit (those whose PodDisruptionBudget would be violated first,
/// then by priority, highest first); the rest are the victims. The node chosen has the fewest budget
/// violations, then the lowest highest victim priority, the lowest priority sum, the fewest victims,
/// and the most recently started victims. Pure: the scheduler acts on the outcome.
/// </summary>
internal sealed class Preemption(SchedulerProfile profile, Func<IReadOnlyList<V1PodDisruptionBudget>> budgets)
{
    public const string NotHelpful = "Preemption is not helpful for scheduling";
    public const string NoVictims = "No preemption victims found for incoming pod";

    /// <summary>Upstream dry-runs preemption until it has this many candidates (minCandidateNodesAbsolute).</summary>
    private const int MaxCandidates = 100;

    public PreemptionOutcome Evaluate(PodInfo pod, ClusterSnapshot snapshot, FitError error, string? nominatedNode)
    {
        if (pod.Pod.Spec?.PreemptionPolicy == "Never")
        {
            return new(null, "not eligible due to preemptionPolicy=Never.");
        }

        if (nominatedNode is not null && snapshot.Find(nominatedNode) is { } nominated &&
            nominated.Pods.Any(p => p.Pod.Metadata.DeletionTimestamp is not null && p.Priority < pod.Priority))
        {
            // Victims of an earlier preemption are still going: wait for them rather than preempt more.
            return new(null, "not eligible due to a terminating pod on the nominated node.");
        }

        if (error.RejectedEverywhere || error.UnresolvableNodes.Count >= snapshot.Nodes.Length)
        {
            return new(null, null);
        }

        var verdicts = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new List<PreemptionCandidate>();
        var pdbs = budgets();
        var state = PreFiltered(pod, snapshot);
        foreach (var node in snapshot.Nodes)
        {
            if (candidates.Count >= MaxCandidates)
            {
                break;
            }

            if (error.UnresolvableNodes.Contains(node.Name))
            {
                verdicts[NotHelpful] = verdicts.GetValueOrDefault(NotHelpful) + 1;
                continue;
            }

            if (SelectVictims(pod, node, snapshot, state, pdbs) is { } candidate)
            {
                candidates.Add(candidate);
            }
            else
            {
                verdicts[NoVictims] = verdicts.GetValueOrDefault(NoVictims) + 1;
            }
        }

        if (candidates.Count == 0)
        {
            var histogram = verdicts.Select(v => $"{v.Value} {v.Key}").Order(StringComparer.Ordinal);
            return new(null, $"0/{snapshot.Nodes.Length} nodes are available: {string.Join(", ", histogram)}.");
        }

        return new(Best(candidates), "");
    }

    private PreemptionCandidate? SelectVictims(PodInfo pod, NodeInfo node, ClusterSnapshot snapshot, CycleState? state, IReadOnlyList<V1PodDisruptionBudget> pdbs)
    {
        var lower = node.Pods.Where(p => p.Priority < pod.Priority).ToList();
        if (lower.Count == 0)
        {
            return null;
        }

        var reduced = node;
        foreach (var p in lower)
        {
            reduced = reduced.WithoutPod(p.Key);
        }

        if (!Fits(pod, reduced, snapshot, state))
        {
            return null;
        }

        // Most important first: they are the ones to give back if the pod still fits.
        lower.Sort((a, b) => b.Priority != a.Priority ? b.Priority.CompareTo(a.Priority) : StartTime(a).CompareTo(StartTime(b)));
        var (violating, fine) = SplitByBudget(lower, pdbs);
        var victims = new List<PodInfo>();
        var violations = 0;
        foreach (var (group, violates) in new[] { (violating, true), (fine, false) })
        {
            foreach (var p in group)
            {
                var back = reduced.WithPod(p);
                if (Fits(pod, back, snapshot, state))
                {
                    reduced = back;
                    continue;
                }

                victims.Add(p);
                violations += violates ? 1 : 0;
            }
        }

        return new PreemptionCandidate(node.Name, victims, violations);
    }

    /// <summary>
    /// The pre-filter results computed once, when nothing they read depends on which pods a node
    /// holds (no affinity or spread terms anywhere); null means recompute them per trial.
    /// </summary>
    private CycleState? PreFiltered(PodInfo pod, ClusterSnapshot snapshot)
    {
        var spec = pod.Pod.Spec;
        if (snapshot.PodsWithAffinity > 0 || spec?.Affinity?.PodAffinity is not null || spec?.Affinity?.PodAntiAffinity is not null ||
            spec?.TopologySpreadConstraints is { Count: > 0 })
        {
            return null;
        }

        var state = new CycleState();
        foreach (var pre in profile.PreFilters)
        {
            if (pre.PreFilter(state, pod, snapshot) is not null)
            {
                return null;
            }
        }

        return state;
    }

    private bool Fits(PodInfo pod, NodeInfo node, ClusterSnapshot snapshot, CycleState? shared)
    {
        var state = shared;
        if (state is null)
        {
            var index = snapshot.Nodes.IndexOf(snapshot.Find(node.Name)!);
            var old = snapshot.Nodes[index];
            var trial = new ClusterSnapshot(snapshot.Nodes.SetItem(index, node), snapshot.PodsWithAffinity - old.PodsWithAffinity.Count + node.PodsWithAffinity.Count);
            state = new CycleState();
            foreach (var pre in profile.PreFilters)
            {
                if (pre.PreFilter(state, pod, trial) is not null)
                {
                    return false;
                }
            }
        }

        foreach (var filter in profile.Filters)
        {
            if (filter.Filter(state, pod, node) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Pods whose eviction would take a budget below zero disruptions, and the rest (upstream's filterPodsWithPDBViolation).</summary>
    private static (List<PodInfo> Violating, List<PodInfo> Fine) SplitByBudget(List<PodInfo> pods, IReadOnlyList<V1PodDisruptionBudget> pdbs)
    {
        var allowed = pdbs.Select(b => b.Status?.DisruptionsAllowed ?? 0).ToArray();
        var selectors = pdbs.Select(b => LabelSelector.FromApi(b.Spec?.Selector)).ToArray();
        var violating = new List<PodInfo>();
        var fine = new List<PodInfo>();
        foreach (var pod in pods)
        {
            var violates = false;
            for (var i = 0; i < pdbs.Count; i++)
            {
                if (pdbs[i].Metadata.NamespaceProperty != pod.Namespace || !selectors[i].Matches(pod.Pod.Metadata.Labels) ||
                    pdbs[i].Status?.DisruptedPods?.ContainsKey(pod.Pod.Metadata.Name) == true)
                {
                    continue;
                }

                if (--allowed[i] < 0)
                {
                    violates = true;
                }
            }

            (violates ? violating : fine).Add(pod);
        }

        return (violating, fine);
    }

    private static PreemptionCandidate Best(List<PreemptionCandidate> candidates)
    {
        // An empty victim list (possible when the pod only failed on something a trial of the same pods resolves) wins outright.
        return candidates
            .OrderBy(c => c.BudgetViolations)
            .ThenBy(c => c.Victims.Count == 0 ? int.MinValue : c.Victims.Max(v => v.Priority))
            .ThenBy(c => c.Victims.Sum(v => (long)v.Priority + int.MaxValue + 1))
            .ThenBy(c => c.Victims.Count)
            .ThenByDescending(c => EarliestStartOfMostImportant(c.Victims))
            .First();
    }

    private static DateTime EarliestStartOfMostImportant(IReadOnlyList<PodInfo> victims)
    {
        if (victims.Count == 0)
        {
            return DateTime.MaxValue;
        }

        var top = victims.Max(v => v.Priority);
        return victims.Where(v => v.Priority == top).Min(StartTime);
    }

    private static DateTime StartTime(PodInfo pod) =>
        (pod.Pod.Status?.StartTime ?? pod.Pod.Metadata.CreationTimestamp ?? DateTime.MinValue).ToUniversalTime();
}
