using k8s.Models;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class DeploymentReconciler
{
    /// <summary>
    /// One step of a Recreate rollout (upstream rolloutRecreate): scale every old ReplicaSet to
    /// zero, wait until none of their pods is left running, then create or scale up the new one.
    /// </summary>
    private async Task RolloutRecreateAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken ct)
    {
        var (newRS, old) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfMissing: false, ct);
        var scaledDown = false;
        var byName = new Dictionary<string, V1ReplicaSet>(StringComparer.Ordinal);
        foreach (var rs in Active(old))
        {
            var (scaled, updated) = await ScaleAndRecordAsync(rs, 0, d, ct);
            byName[rs.Metadata.Name] = updated;
            scaledDown |= scaled;
        }

        old = [.. old.Select(rs => byName.GetValueOrDefault(rs.Metadata.Name, rs))];
        if (scaledDown || OldPodsRunning(d, newRS, old))
        {
            await SyncRolloutStatusAsync(d, [.. old, newRS], newRS, ct);
            return;
        }

        if (newRS is null)
        {
            (newRS, old) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfMissing: true, ct);
            if (newRS is null)
            {
                return;
            }
        }

        (_, newRS) = await ScaleAndRecordAsync(newRS, DeploymentMath.Replicas(d), d, ct);
        if (DeploymentConditions.Complete(d, d.Status))
        {
            await CleanupAsync(d, old, ct);
        }

        await SyncRolloutStatusAsync(d, [.. old, newRS], newRS, ct);
    }

    /// <summary>Whether any old ReplicaSet still reports replicas or still has a pod that has not finished.</summary>
    private bool OldPodsRunning(V1Deployment d, V1ReplicaSet? newRS, List<V1ReplicaSet> old)
    {
        if (DeploymentMath.StatusReplicas(old) > 0)
        {
            return true;
        }

        var oldUids = old.Select(rs => rs.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var selector = LabelSelector.FromApi(d.Spec.Selector);
        return _pods.List(d.Metadata.NamespaceProperty).Any(p =>
            selector.Matches(p.Metadata.Labels)
            && OwnerRefs.ControllerOf(p) is { } owner && owner.Uid != newRS?.Metadata.Uid && oldUids.Contains(owner.Uid)
            && p.Status?.Phase is not ("Succeeded" or "Failed"));
    }
}
