using k8s.Models;
using KubeWeb.Controllers.Apps;

namespace KubeWeb.Controllers.Disruption;

/// <summary>The arithmetic of a PodDisruptionBudget's status. Pure, so it is tested without a server.</summary>
public static class BudgetMath
{
    public const string DisruptionAllowed = "DisruptionAllowed";

    /// <summary>
    /// The status for <paramref name="pods"/> (those the selector picks): healthy are the ready
    /// pods that are neither deleting nor recently evicted; the disruptions allowed are what
    /// exceeds <paramref name="desiredHealthy"/>.
    /// </summary>
    public static V1PodDisruptionBudgetStatus Status(
        V1PodDisruptionBudget pdb, IEnumerable<V1Pod> pods, int expected, int desiredHealthy, Dictionary<string, DateTime> disrupted, DateTime now)
    {
        var healthy = pods.Count(p => p.Metadata.DeletionTimestamp is null && !disrupted.ContainsKey(p.Metadata.Name) && PodConditions.IsReady(p));
        var allowed = Math.Max(healthy - desiredHealthy, 0);
        var generation = pdb.Metadata.Generation;
        return new V1PodDisruptionBudgetStatus
        {
            ObservedGeneration = generation,
            CurrentHealthy = healthy,
            DesiredHealthy = desiredHealthy,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted.Count > 0 ? disrupted.ToDictionary(p => p.Key, p => (DateTime?)p.Value, StringComparer.Ordinal) : null,
            Conditions = allowed > 0
                ? SetCondition(pdb.Status?.Conditions, "True", "SufficientPods", "", generation, now)
                : SetCondition(pdb.Status?.Conditions, "False", "InsufficientPods", "", generation, now),
        };
    }

    /// <summary>An int-or-percent against <paramref name="total"/>, percentages rounded up (intstr.GetScaledValueFromIntOrPercent).</summary>
    public static int Scaled(IntOrString value, int total)
    {
        var raw = value.Value ?? "0";
        if (int.TryParse(raw, out var count))
        {
            return count;
        }

        var percent = int.Parse(raw.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
        return (int)Math.Ceiling(percent * (double)total / 100);
    }

    /// <summary>The DisruptionAllowed condition set as apimeta.SetStatusCondition does: the transition time moves only with the status.</summary>
    public static IList<V1Condition> SetCondition(IList<V1Condition>? conditions, string status, string reason, string message, long? generation, DateTime now)
    {
        var result = (conditions ?? []).Where(c => c.Type != DisruptionAllowed).ToList();
        var old = conditions?.FirstOrDefault(c => c.Type == DisruptionAllowed);
        result.Add(new V1Condition
        {
            Type = DisruptionAllowed,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = old is not null && old.Status == status ? old.LastTransitionTime : now,
        });
        return result;
    }
}
