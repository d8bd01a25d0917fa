using k8s.Models;

namespace KubeWeb.Controllers.Apps;

/// <summary>The pod predicates the workload controllers share (upstream podutil and controller utils).</summary>
internal static class PodConditions
{
    public static V1PodCondition? Ready(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsReady(V1Pod pod) => Ready(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/>, measured from the Ready condition's last transition.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        if (!IsReady(pod))
        {
            return false;
        }

        if (minReadySeconds == 0)
        {
            return true;
        }

        var since = Ready(pod)?.LastTransitionTime;
        return since is { } t && new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).AddSeconds(minReadySeconds) < now;
    }

    /// <summary>Not finished and not being deleted (controller.FilterActivePods).</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null;

    /// <summary>When the pod became ready, or null when it is not ready.</summary>
    public static DateTime? ReadyTime(V1Pod pod) => IsReady(pod) ? Ready(pod)?.LastTransitionTime : null;

    public static int MaxRestarts(V1Pod pod) =>
        pod.Status?.ContainerStatuses is { Count: > 0 } statuses ? statuses.Max(s => s.RestartCount) : 0;
}

/// <summary>
/// The order in which a ReplicaSet gives up pods when it scales down (upstream ActivePodsWithRanks):
/// unscheduled before scheduled, Pending before Unknown before Running, not ready before ready,
/// lower pod-deletion-cost first, pods doubled up on a node with related pods first, ready for a
/// shorter time first, more restarts first, and newer before older.
/// </summary>
internal sealed class PodDeletionOrder : IComparer<(V1Pod Pod, int Rank)>
{
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    public static readonly PodDeletionOrder Instance = new();

    public int Compare((V1Pod Pod, int Rank) x, (V1Pod Pod, int Rank) y)
    {
        if (Less(x, y))
        {
            return -1;
        }

        return Less(y, x) ? 1 : 0;
    }

    /// <summary>Ranks each pod by how many related pods share its node, then sorts: the first ones go first.</summary>
    public static List<V1Pod> Rank(IEnumerable<V1Pod> pods, IEnumerable<V1Pod> related)
    {
        var perNode = related.Where(p => PodConditions.IsActive(p) && !string.IsNullOrEmpty(p.Spec?.NodeName))
            .GroupBy(p => p.Spec.NodeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ranked = pods.Select(p => (Pod: p, Rank: string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : perNode.GetValueOrDefault(p.Spec.NodeName))).ToList();
        ranked.Sort(Instance);
        return [.. ranked.Select(r => r.Pod)];
    }

    private static bool Less((V1Pod Pod, int Rank) x, (V1Pod Pod, int Rank) y)
    {
        var (a, b) = (x.Pod, y.Pod);
        var nodeA = a.Spec?.NodeName ?? "";
        var nodeB = b.Spec?.NodeName ?? "";
        if (nodeA != nodeB && (nodeA.Length == 0 || nodeB.Length == 0))
        {
            return nodeA.Length == 0;
        }

        var phaseA = PhaseOrdinal(a.Status?.Phase);
        var phaseB = PhaseOrdinal(b.Status?.Phase);
        if (phaseA != phaseB)
        {
            return phaseA < phaseB;
        }

        var readyA = PodConditions.IsReady(a);
        if (readyA != PodConditions.IsReady(b))
        {
            return !readyA;
        }

        var costA = DeletionCost(a);
        var costB = DeletionCost(b);
        if (costA != costB)
        {
            return costA < costB;
        }

        if (x.Rank != y.Rank)
        {
            return x.Rank > y.Rank;
        }

        if (readyA)
        {
            var ta = PodConditions.ReadyTime(a);
            var tb = PodConditions.ReadyTime(b);
            if (ta != tb)
            {
                return AfterOrZero(ta, tb);
            }
        }

        var restartsA = PodConditions.MaxRestarts(a);
        var restartsB = PodConditions.MaxRestarts(b);
        if (restartsA != restartsB)
        {
            return restartsA > restartsB;
        }

        var createdA = a.Metadata.CreationTimestamp;
        var createdB = b.Metadata.CreationTimestamp;
        return createdA != createdB && AfterOrZero(createdA, createdB);
    }

    // Pending < Unknown < Running; anything else sorts with Pending.
    private static int PhaseOrdinal(string? phase) => phase switch
    {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static int DeletionCost(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(DeletionCostAnnotation, out var raw) == true && int.TryParse(raw, out var cost) ? cost : 0;

    private static bool AfterOrZero(DateTime? a, DateTime? b)
    {
        if (a is null || b is null)
        {
            return a is null;
        }

        return a > b;
    }
}
