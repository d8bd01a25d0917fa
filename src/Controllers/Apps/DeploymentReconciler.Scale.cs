using k8s;
using k8s.Models;
using KubeWeb.Core.Events;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class DeploymentReconciler
{
    /// <summary>
    /// Upstream scale: one active ReplicaSet takes the whole count; a saturated new one lets the old
    /// ones go; otherwise the difference is spread over the active ReplicaSets in proportion to their
    /// size (largest first, leftovers to the first).
    /// </summary>
    private async Task<(V1ReplicaSet? New, List<V1ReplicaSet> Old)> ScaleAsync(V1Deployment d, V1ReplicaSet? newRS, List<V1ReplicaSet> old, CancellationToken ct)
    {
        var replicas = DeploymentMath.Replicas(d);
        var byName = new Dictionary<string, V1ReplicaSet>(StringComparer.Ordinal);
        if (FindActiveOrLatest(newRS, old) is { } only)
        {
            if (DeploymentMath.Replicas(only) != replicas)
            {
                byName[only.Metadata.Name] = (await ScaleAndRecordAsync(only, replicas, d, ct)).Rs;
            }
        }
        else if (IsSaturated(d, newRS))
        {
            foreach (var rs in Active(old))
            {
                byName[rs.Metadata.Name] = (await ScaleAndRecordAsync(rs, 0, d, ct)).Rs;
            }
        }
        else if (DeploymentMath.IsRollingUpdate(d))
        {
            var active = Active([.. old, newRS]);
            var allowed = replicas > 0 ? replicas + DeploymentMath.MaxSurge(d) : 0;
            var toAdd = allowed - DeploymentMath.SpecReplicas(active);
            var operation = "";
            if (toAdd > 0)
            {
                active.Sort(ReplicaSetOrder.BySizeNewer);
                operation = "up";
            }
            else if (toAdd < 0)
            {
                active.Sort(ReplicaSetOrder.BySizeOlder);
                operation = "down";
            }

            var added = 0;
            var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var rs in active)
            {
                var proportion = toAdd != 0 ? DeploymentMath.Proportion(rs, d, toAdd, added) : 0;
                sizes[rs.Metadata.Name] = DeploymentMath.Replicas(rs) + proportion;
                added += proportion;
            }

            for (var i = 0; i < active.Count; i++)
            {
                var rs = active[i];
                if (i == 0 && toAdd != 0)
                {
                    sizes[rs.Metadata.Name] = Math.Max(0, sizes[rs.Metadata.Name] + toAdd - added);
                }

                byName[rs.Metadata.Name] = (await ScaleReplicaSetAsync(rs, sizes[rs.Metadata.Name], d, operation, ct)).Rs;
            }
        }

        V1ReplicaSet Latest(V1ReplicaSet rs) => byName.GetValueOrDefault(rs.Metadata.Name, rs);
        return (newRS is null ? null : Latest(newRS), [.. old.Select(Latest)]);
    }

    private static V1ReplicaSet? FindActiveOrLatest(V1ReplicaSet? newRS, List<V1ReplicaSet> old)
    {
        if (newRS is null && old.Count == 0)
        {
            return null;
        }

        var newestFirst = ReplicaSetOrder.Sorted(old, (a, b) => ReplicaSetOrder.ByCreation(b, a));
        var active = Active([.. newestFirst, newRS]);
        return active.Count switch
        {
            0 => newRS ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    private static bool IsSaturated(V1Deployment d, V1ReplicaSet? rs) =>
        rs is not null && DeploymentRevisions.DesiredReplicas(rs) == DeploymentMath.Replicas(d)
        && DeploymentMath.Replicas(rs) == DeploymentMath.Replicas(d) && (rs.Status?.AvailableReplicas ?? 0) == DeploymentMath.Replicas(d);

    private static List<V1ReplicaSet> Active(IEnumerable<V1ReplicaSet?> sets) => [.. sets.Where(rs => rs is not null && DeploymentMath.Replicas(rs) > 0).Select(rs => rs!)];

    private async Task<(bool Scaled, V1ReplicaSet Rs)> ScaleAndRecordAsync(V1ReplicaSet rs, int newScale, V1Deployment d, CancellationToken ct)
    {
        if (DeploymentMath.Replicas(rs) == newScale)
        {
            return (false, rs);
        }

        return await ScaleReplicaSetAsync(rs, newScale, d, DeploymentMath.Replicas(rs) < newScale ? "up" : "down", ct);
    }

    /// <summary>Resizes a ReplicaSet and refreshes its desired/max replica annotations; records ScalingReplicaSet when the size moved.</summary>
    private async Task<(bool Scaled, V1ReplicaSet Rs)> ScaleReplicaSetAsync(V1ReplicaSet rs, int newScale, V1Deployment d, string operation, CancellationToken ct)
    {
        var desired = DeploymentMath.Replicas(d);
        var max = desired + DeploymentMath.MaxSurge(d);
        var oldScale = DeploymentMath.Replicas(rs);
        var sizeChanged = oldScale != newScale;
        if (!sizeChanged && !DeploymentRevisions.ReplicasAnnotationsNeedUpdate(rs, desired, max))
        {
            return (false, rs);
        }

        var copy = ObjectCopy.Clone(rs);
        copy.Spec.Replicas = newScale;
        DeploymentRevisions.SetReplicasAnnotations(copy, desired, max);
        var updated = await _client.AppsV1.ReplaceNamespacedReplicaSetAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: ct);
        if (sizeChanged)
        {
            _events.Record(d, EventRecorder.Normal, "ScalingReplicaSet", $"Scaled {operation} replica set {rs.Metadata.Name} from {oldScale} to {newScale}");
        }

        return (sizeChanged, updated);
    }
}
