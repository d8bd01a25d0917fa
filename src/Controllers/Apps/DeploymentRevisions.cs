using System.Globalization;
using k8s.Models;

namespace KubeWeb.Controllers.Apps;

/// <summary>
/// The annotations that link a Deployment to its ReplicaSets (upstream deployment/util):
/// revision numbers (what <c>kubectl rollout history/undo</c> read), the revision history of a
/// template that came back, desired/max replicas for proportional scaling, and the Deployment's
/// own annotations (change-cause) copied onto its new ReplicaSet.
/// </summary>
internal static class DeploymentRevisions
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasKey = "deployment.kubernetes.io/max-replicas";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";

    /// <summary>Deployment annotations that are never copied to a ReplicaSet.</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        RevisionAnnotation,
        RevisionHistoryAnnotation,
        DesiredReplicasAnnotation,
        MaxReplicasKey,
        "deprecated.deployment.rollback.to",
    };

    public static long Revision(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true && long.TryParse(v, CultureInfo.InvariantCulture, out var r) ? r : 0;

    public static string? RevisionText(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true ? v : null;

    public static long MaxRevision(IEnumerable<V1ReplicaSet> sets) => sets.Select(Revision).DefaultIfEmpty(0).Max();

    public static int? DesiredReplicas(V1ReplicaSet rs) => IntAnnotation(rs, DesiredReplicasAnnotation);

    public static int? MaxReplicasAnnotation(V1ReplicaSet rs) => IntAnnotation(rs, MaxReplicasKey);

    /// <summary>
    /// Upstream SetNewReplicaSetAnnotations on a copy: copies the Deployment's annotations, raises
    /// the revision to <paramref name="newRevision"/> (recording the old one in the revision
    /// history), and for a ReplicaSet about to be created sets the replica annotations.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(V1Deployment d, V1ReplicaSet rs, long newRevision, bool exists)
    {
        var changed = CopyDeploymentAnnotations(d, rs);
        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var had = rs.Metadata.Annotations.TryGetValue(RevisionAnnotation, out var oldText);
        long oldRevision = 0;
        if (had && !long.TryParse(oldText, CultureInfo.InvariantCulture, out oldRevision))
        {
            return false;
        }

        if (oldRevision < newRevision)
        {
            rs.Metadata.Annotations[RevisionAnnotation] = newRevision.ToString(CultureInfo.InvariantCulture);
            changed = true;
            if (had)
            {
                var history = rs.Metadata.Annotations.TryGetValue(RevisionHistoryAnnotation, out var h) && h.Length > 0 ? h + "," + oldText : oldText!;
                rs.Metadata.Annotations[RevisionHistoryAnnotation] = history;
            }
        }

        if (!exists && SetReplicasAnnotations(rs, DeploymentMath.Replicas(d), DeploymentMath.Replicas(d) + DeploymentMath.MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    public static bool CopyDeploymentAnnotations(V1Deployment d, V1ReplicaSet rs)
    {
        var changed = false;
        foreach (var (k, v) in d.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (NotCopied.Contains(k) || (rs.Metadata.Annotations?.TryGetValue(k, out var existing) == true && existing == v))
            {
                continue;
            }

            rs.Metadata.Annotations ??= new Dictionary<string, string>();
            rs.Metadata.Annotations[k] = v;
            changed = true;
        }

        return changed;
    }

    public static bool ReplicasAnnotationsNeedUpdate(V1ReplicaSet rs, int desired, int max) =>
        rs.Metadata.Annotations is not { } a
        || !a.TryGetValue(DesiredReplicasAnnotation, out var d) || d != desired.ToString(CultureInfo.InvariantCulture)
        || !a.TryGetValue(MaxReplicasKey, out var m) || m != max.ToString(CultureInfo.InvariantCulture);

    public static bool SetReplicasAnnotations(V1ReplicaSet rs, int desired, int max)
    {
        if (!ReplicasAnnotationsNeedUpdate(rs, desired, max))
        {
            return false;
        }

        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        rs.Metadata.Annotations[DesiredReplicasAnnotation] = desired.ToString(CultureInfo.InvariantCulture);
        rs.Metadata.Annotations[MaxReplicasKey] = max.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static int? IntAnnotation(V1ReplicaSet rs, string key) =>
        rs.Metadata.Annotations?.TryGetValue(key, out var v) == true && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : null;
}
