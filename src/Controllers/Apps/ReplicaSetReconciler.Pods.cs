using k8s;
using k8s.Models;
using KubeWeb.Core.Events;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class ReplicaSetReconciler
{
    /// <summary>
    /// Upstream PodControllerRefManager.ClaimPods: keeps the pods this ReplicaSet controls that still
    /// match, releases controlled pods that stopped matching, and adopts matching orphans (after
    /// re-reading the ReplicaSet from the API to be sure it is not being deleted).
    /// </summary>
    private async Task<List<V1Pod>> ClaimPodsAsync(V1ReplicaSet rs, LabelSelector selector, List<V1Pod> pods, CancellationToken ct)
    {
        var claimed = new List<V1Pod>();
        bool? canAdopt = null;
        var uid = rs.Metadata.Uid;
        foreach (var pod in pods)
        {
            var owner = OwnerRefs.ControllerOf(pod);
            var matches = selector.Matches(pod.Metadata.Labels);
            if (owner is not null)
            {
                if (owner.Uid != uid)
                {
                    continue;
                }

                if (matches)
                {
                    claimed.Add(pod);
                }
                else if (rs.Metadata.DeletionTimestamp is null)
                {
                    await ReleaseAsync(pod, uid, ct);
                }

                continue;
            }

            if (!matches || rs.Metadata.DeletionTimestamp is not null || pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            canAdopt ??= await CanAdoptAsync(rs, ct);
            if (canAdopt != true)
            {
                continue;
            }

            try
            {
                var refs = new List<V1OwnerReference>(pod.Metadata.OwnerReferences ?? []) { OwnerRefs.ControllerRef(rs, "apps/v1", "ReplicaSet") };
                await _pods.SetOwnerReferencesAsync(pod, refs, ct);
                claimed.Add(pod);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
            }
        }

        return claimed;
    }

    private async Task<bool> CanAdoptAsync(V1ReplicaSet rs, CancellationToken ct)
    {
        try
        {
            var fresh = await _client.AppsV1.ReadNamespacedReplicaSetAsync(rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct);
            return fresh.Metadata.Uid == rs.Metadata.Uid && fresh.Metadata.DeletionTimestamp is null;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return false;
        }
    }

    private async Task ReleaseAsync(V1Pod pod, string uid, CancellationToken ct)
    {
        try
        {
            var refs = (pod.Metadata.OwnerReferences ?? []).Where(r => r.Uid != uid).ToList();
            await _pods.SetOwnerReferencesAsync(pod, refs, ct);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
        }
    }

    /// <summary>Creates or deletes pods towards spec.replicas; returns the first failure, if any.</summary>
    private async Task<Exception?> ManageReplicasAsync(string key, V1ReplicaSet rs, List<V1Pod> owned, CancellationToken ct)
    {
        var diff = owned.Count - (rs.Spec.Replicas ?? 1);
        if (diff < 0)
        {
            var toCreate = Math.Min(-diff, BurstReplicas);
            Expectations.ExpectCreations(key, toCreate);
            var controllerRef = OwnerRefs.ControllerRef(rs, "apps/v1", "ReplicaSet");
            var (created, error) = await SlowStart.RunAsync(toCreate, 1, async _ =>
            {
                try
                {
                    await _pods.CreateAsync(rs.Metadata.NamespaceProperty, rs.Spec.Template, controllerRef, ct);
                }
                catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
                {
                    // The namespace is going away; nothing to create, nothing to report.
                }
                catch (Exception e)
                {
                    _events.Record(rs, EventRecorder.Warning, "FailedCreate", $"Error creating: {ApiErrors.Message(e)}");
                    throw;
                }
            });

            // Creations that were never attempted will never be observed.
            for (var i = created; i < toCreate; i++)
            {
                Expectations.CreationObserved(key);
            }

            if (created > 0)
            {
                _events.Record(rs, EventRecorder.Normal, "SuccessfulCreate", $"Created {created} pod(s)");
            }

            return error;
        }

        if (diff > 0)
        {
            var toDelete = Math.Min(diff, BurstReplicas);
            var victims = diff < owned.Count ? PodDeletionOrder.Rank(owned, RelatedPods(rs)).Take(toDelete).ToList() : owned.Take(toDelete).ToList();
            Expectations.ExpectDeletions(key, victims.Select(ObjectKeys.Of));
            var (_, error) = await SlowStart.RunAsync(victims.Count, 1, async i =>
            {
                var pod = victims[i];
                try
                {
                    await _pods.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, ct);
                    _events.Record(rs, EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
                }
                catch (Exception e) when (ApiErrors.IsNotFound(e))
                {
                    Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                }
                catch (Exception e)
                {
                    Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                    _events.Record(rs, EventRecorder.Warning, "FailedDelete", $"Error deleting: {ApiErrors.Message(e)}");
                    throw;
                }
            });

            // Deletions never attempted after a failure will not be observed either.
            if (error is not null)
            {
                foreach (var pod in victims)
                {
                    if (_podInformer.Get(ObjectKeys.Of(pod)) is { Metadata.DeletionTimestamp: null } still && still.Metadata.Uid == pod.Metadata.Uid)
                    {
                        Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                    }
                }
            }

            return error;
        }

        return null;
    }

    /// <summary>Pods of every ReplicaSet sharing this one's controller (a Deployment's other revisions), for node-spread ranking.</summary>
    private List<V1Pod> RelatedPods(V1ReplicaSet rs)
    {
        if (OwnerRefs.ControllerOf(rs) is not { } owner)
        {
            return [];
        }

        var siblings = _replicaSets.List(rs.Metadata.NamespaceProperty).Where(r => OwnerRefs.ControllerOf(r)?.Uid == owner.Uid).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var related = new List<V1Pod>();
        foreach (var sibling in siblings)
        {
            var selector = LabelSelector.FromApi(sibling.Spec.Selector);
            related.AddRange(_podInformer.List(rs.Metadata.NamespaceProperty).Where(p => selector.Matches(p.Metadata.Labels) && seen.Add(p.Metadata.Uid)));
        }

        return related;
    }
}
