using k8s.Models;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class DeploymentReconciler
{
    /// <summary>
    /// One step of a RollingUpdate (upstream rolloutRolling): grow the new ReplicaSet within
    /// maxSurge; if it could not grow, shrink old ones within maxUnavailable (unhealthy replicas
    /// first); once complete, clean up history; then report rollout status.
    /// </summary>
    private async Task RolloutRollingAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken ct)
    {
        var (newRS, old) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfMissing: true, ct);
        if (newRS is null)
        {
            return;
        }

        var (scaledUp, grown) = await ReconcileNewReplicaSetAsync(d, [.. old, newRS], newRS, ct);
        if (scaledUp)
        {
            await SyncRolloutStatusAsync(d, [.. old, grown], grown, ct);
            return;
        }

        var (scaledDown, shrunk) = await ReconcileOldReplicaSetsAsync(d, [.. old, newRS], old, newRS, ct);
        if (scaledDown)
        {
            await SyncRolloutStatusAsync(d, [.. shrunk, newRS], newRS, ct);
            return;
        }

        if (DeploymentConditions.Complete(d, d.Status))
        {
            await CleanupAsync(d, old, ct);
        }

        await SyncRolloutStatusAsync(d, [.. old, newRS], newRS, ct);
    }

    private async Task<(bool Scaled, V1ReplicaSet Rs)> ReconcileNewReplicaSetAsync(V1Deployment d, List<V1ReplicaSet> all, V1ReplicaSet newRS, CancellationToken ct)
    {
        var replicas = DeploymentMath.Replicas(d);
        if (DeploymentMath.Replicas(newRS) == replicas)
        {
            return (false, newRS);
        }

        if (DeploymentMath.Replicas(newRS) > replicas)
        {
            return await ScaleAndRecordAsync(newRS, replicas, d, ct);
        }

        return await ScaleAndRecordAsync(newRS, DeploymentMath.NewRSNewReplicas(d, all, newRS), d, ct);
    }

    /// <summary>
    /// Upstream reconcileOldReplicaSets: how far the total may drop is bounded by minAvailable
    /// (replicas - maxUnavailable) and by the new ReplicaSet's own unavailable pods.
    /// </summary>
    private async Task<(bool Scaled, List<V1ReplicaSet> Old)> ReconcileOldReplicaSetsAsync(
        V1Deployment d, List<V1ReplicaSet> all, List<V1ReplicaSet> old, V1ReplicaSet newRS, CancellationToken ct)
    {
        var active = Active(old);
        if (DeploymentMath.SpecReplicas(active) == 0)
        {
            return (false, old);
        }

        var minAvailable = DeploymentMath.Replicas(d) - DeploymentMath.MaxUnavailable(d);
        var newUnavailable = DeploymentMath.Replicas(newRS) - (newRS.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = DeploymentMath.SpecReplicas(all) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return (false, old);
        }

        var byName = new Dictionary<string, V1ReplicaSet>(StringComparer.Ordinal);
        var cleaned = 0;

        // First drop old replicas that are not available anyway: that costs no availability.
        foreach (var rs in ReplicaSetOrder.Sorted(active, ReplicaSetOrder.ByCreation))
        {
            if (cleaned >= maxScaledDown)
            {
                break;
            }

            var unhealthy = DeploymentMath.Replicas(rs) - (rs.Status?.AvailableReplicas ?? 0);
            if (DeploymentMath.Replicas(rs) == 0 || unhealthy <= 0)
            {
                continue;
            }

            var count = Math.Min(maxScaledDown - cleaned, unhealthy);
            byName[rs.Metadata.Name] = (await ScaleAndRecordAsync(rs, DeploymentMath.Replicas(rs) - count, d, ct)).Rs;
            cleaned += count;
        }

        var current = active.Select(rs => byName.GetValueOrDefault(rs.Metadata.Name, rs)).ToList();
        var scaledDown = await ScaleDownOldForRollingUpdateAsync(d, [.. current, newRS], current, byName, ct);
        var updatedOld = old.Select(rs => byName.GetValueOrDefault(rs.Metadata.Name, rs)).ToList();
        return (cleaned + scaledDown > 0, updatedOld);
    }

    /// <summary>Scales old ReplicaSets down, oldest first, by as many replicas as are available above minAvailable.</summary>
    private async Task<int> ScaleDownOldForRollingUpdateAsync(V1Deployment d, List<V1ReplicaSet> all, List<V1ReplicaSet> old,
        Dictionary<string, V1ReplicaSet> byName, CancellationToken ct)
    {
        var minAvailable = DeploymentMath.Replicas(d) - DeploymentMath.MaxUnavailable(d);
        var available = DeploymentMath.AvailableReplicas(all);
        if (available <= minAvailable)
        {
            return 0;
        }

        var total = available - minAvailable;
        var done = 0;
        foreach (var rs in ReplicaSetOrder.Sorted(old, ReplicaSetOrder.ByCreation))
        {
            if (done >= total)
            {
                break;
            }

            if (DeploymentMath.Replicas(rs) == 0)
            {
                continue;
            }

            var count = Math.Min(DeploymentMath.Replicas(rs), total - done);
            byName[rs.Metadata.Name] = (await ScaleAndRecordAsync(rs, DeploymentMath.Replicas(rs) - count, d, ct)).Rs;
            done += count;
        }

        return done;
    }
}
