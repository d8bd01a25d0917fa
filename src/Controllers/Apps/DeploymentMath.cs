using System.Globalization;
using k8s.Models;

namespace KubeWeb.Controllers.Apps;

/// <summary>
/// The replica arithmetic of upstream deployment/util: surge and unavailability fenceposts
/// (surge rounds up, unavailable rounds down, never both zero), how far the new ReplicaSet may
/// grow, and each ReplicaSet's share when a Deployment is scaled mid-rollout. Pure functions.
/// </summary>
internal static class DeploymentMath
{
    public static int Replicas(V1Deployment d) => d.Spec.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet? rs) => rs?.Spec?.Replicas ?? 0;

    public static bool IsRollingUpdate(V1Deployment d) => d.Spec.Strategy?.Type is null or "RollingUpdate";

    /// <summary>intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down.</summary>
    public static int Scaled(IntOrString? value, int total, bool roundUp)
    {
        var raw = value?.Value;
        if (string.IsNullOrEmpty(raw))
        {
            return 0;
        }

        if (raw.EndsWith('%'))
        {
            if (!int.TryParse(raw.AsSpan(0, raw.Length - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
            {
                throw new FormatException($"invalid value for IntOrString: invalid value \"{raw}\"");
            }

            var scaled = (double)percent * total / 100;
            return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"invalid value for IntOrString: invalid type: string is not a percentage");
    }

    /// <summary>Upstream ResolveFenceposts.</summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = Scaled(maxSurge, desired, roundUp: true);
        var unavailable = Scaled(maxUnavailable, desired, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            // Avoid a rollout that can never progress.
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    public static int MaxSurge(V1Deployment d)
    {
        if (!IsRollingUpdate(d))
        {
            return 0;
        }

        var rolling = d.Spec.Strategy?.RollingUpdate;
        return ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, Replicas(d)).Surge;
    }

    public static int MaxUnavailable(V1Deployment d)
    {
        var replicas = Replicas(d);
        if (!IsRollingUpdate(d) || replicas == 0)
        {
            return 0;
        }

        var rolling = d.Spec.Strategy?.RollingUpdate;
        var unavailable = ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, replicas).Unavailable;
        return Math.Min(unavailable, replicas);
    }

    public static int SpecReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.Sum(Replicas);

    public static int StatusReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int ReadyReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicas(IEnumerable<V1ReplicaSet?> sets) => sets.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    /// <summary>How many replicas the new ReplicaSet may have now (upstream NewRSNewReplicas).</summary>
    public static int NewRSNewReplicas(V1Deployment d, IEnumerable<V1ReplicaSet?> all, V1ReplicaSet newRS)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }

        var maxSurge = Scaled(d.Spec.Strategy?.RollingUpdate?.MaxSurge, Replicas(d), roundUp: true);
        var current = SpecReplicas(all);
        var maxTotal = Replicas(d) + maxSurge;
        if (current >= maxTotal)
        {
            return Replicas(newRS);
        }

        var scaleUp = Math.Min(maxTotal - current, Replicas(d) - Replicas(newRS));
        return Replicas(newRS) + scaleUp;
    }

    /// <summary>
    /// The change in size of <paramref name="rs"/> when <paramref name="toAdd"/> replicas are spread
    /// over the active ReplicaSets in proportion to their size (upstream GetReplicaSetProportion).
    /// </summary>
    public static int Proportion(V1ReplicaSet rs, V1Deployment d, int toAdd, int added)
    {
        if (Replicas(rs) == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        var fraction = Fraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int Fraction(V1ReplicaSet rs, V1Deployment d)
    {
        if (Replicas(d) == 0)
        {
            return -Replicas(rs);
        }

        var deploymentReplicas = Replicas(d) + MaxSurge(d);
        var annotated = DeploymentRevisions.MaxReplicasAnnotation(rs) ?? d.Status?.Replicas ?? 0;
        if (annotated == 0)
        {
            return 0;
        }

        var size = (double)Replicas(rs) * deploymentReplicas / annotated;
        return (int)Math.Round(size, MidpointRounding.AwayFromZero) - Replicas(rs);
    }
}

/// <summary>The ReplicaSet orderings the deployment controller uses (upstream controller_utils).</summary>
internal static class ReplicaSetOrder
{
    /// <summary>Oldest first; equal timestamps by name.</summary>
    public static int ByCreation(V1ReplicaSet a, V1ReplicaSet b)
    {
        var ta = a.Metadata.CreationTimestamp ?? DateTime.MinValue;
        var tb = b.Metadata.CreationTimestamp ?? DateTime.MinValue;
        return ta == tb ? string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name) : ta.CompareTo(tb);
    }

    /// <summary>Lowest revision first; equal revisions by creation.</summary>
    public static int ByRevision(V1ReplicaSet a, V1ReplicaSet b)
    {
        var ra = DeploymentRevisions.Revision(a);
        var rb = DeploymentRevisions.Revision(b);
        return ra == rb ? ByCreation(a, b) : ra.CompareTo(rb);
    }

    /// <summary>Largest first; equal sizes older first (scaling down).</summary>
    public static int BySizeOlder(V1ReplicaSet a, V1ReplicaSet b) =>
        DeploymentMath.Replicas(a) == DeploymentMath.Replicas(b) ? ByCreation(a, b) : DeploymentMath.Replicas(b).CompareTo(DeploymentMath.Replicas(a));

    /// <summary>Largest first; equal sizes newer first (scaling up).</summary>
    public static int BySizeNewer(V1ReplicaSet a, V1ReplicaSet b) =>
        DeploymentMath.Replicas(a) == DeploymentMath.Replicas(b) ? ByCreation(b, a) : DeploymentMath.Replicas(b).CompareTo(DeploymentMath.Replicas(a));

    public static List<V1ReplicaSet> Sorted(IEnumerable<V1ReplicaSet> sets, Comparison<V1ReplicaSet> order)
    {
        var list = sets.ToList();
        list.Sort(order);
        return list;
    }
}
