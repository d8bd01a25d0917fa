using k8s;
using k8s.Models;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class ReplicaSetReconciler
{
    /// <summary>Upstream calculateStatus: counts over the active pods this ReplicaSet owns.</summary>
    internal static V1ReplicaSetStatus CalculateStatus(V1ReplicaSet rs, IReadOnlyCollection<V1Pod> owned, Exception? manageError, DateTimeOffset now)
    {
        var status = rs.Status is null ? new V1ReplicaSetStatus() : ObjectCopy.Clone(rs.Status);
        var templateLabels = rs.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        int fullyLabeled = 0, ready = 0, available = 0;
        foreach (var pod in owned)
        {
            if (templateLabels.All(kv => pod.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value))
            {
                fullyLabeled++;
            }

            if (PodConditions.IsReady(pod))
            {
                ready++;
                if (PodConditions.IsAvailable(pod, rs.Spec.MinReadySeconds ?? 0, now))
                {
                    available++;
                }
            }
        }

        var failure = status.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure");
        if (manageError is not null && failure is null)
        {
            var diff = owned.Count - (rs.Spec.Replicas ?? 1);
            var reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
            status.Conditions = [.. status.Conditions ?? [], new V1ReplicaSetCondition
            {
                Type = "ReplicaFailure",
                Status = "True",
                Reason = reason,
                Message = ApiErrors.Message(manageError),
                LastTransitionTime = now.UtcDateTime,
            }];
        }
        else if (manageError is null && failure is not null)
        {
            status.Conditions = [.. status.Conditions!.Where(c => c.Type != "ReplicaFailure")];
        }

        status.Replicas = owned.Count;
        status.FullyLabeledReplicas = fullyLabeled;
        status.ReadyReplicas = ready;
        status.AvailableReplicas = available;
        return status;
    }

    private async Task<V1ReplicaSet> UpdateStatusAsync(V1ReplicaSet cached, List<V1Pod> owned, Exception? manageError, CancellationToken ct)
    {
        var status = CalculateStatus(cached, owned, manageError, Time.GetUtcNow());
        var old = cached.Status ?? new V1ReplicaSetStatus();
        if ((old.Replicas, old.FullyLabeledReplicas ?? 0, old.ReadyReplicas ?? 0, old.AvailableReplicas ?? 0)
                == (status.Replicas, status.FullyLabeledReplicas ?? 0, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0)
            && cached.Metadata.Generation == old.ObservedGeneration
            && ObjectCopy.SameJson(old.Conditions, status.Conditions))
        {
            return cached;
        }

        status.ObservedGeneration = cached.Metadata.Generation;
        var rs = ObjectCopy.Clone(cached);
        for (var attempt = 0; ; attempt++)
        {
            rs.Status = status;
            try
            {
                return await _client.AppsV1.ReplaceNamespacedReplicaSetStatusAsync(rs, rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct);
            }
            catch (Exception e) when (attempt == 0 && !ApiErrors.IsNotFound(e) && e is not OperationCanceledException)
            {
                // One retry against a fresh copy, as upstream's statusUpdateRetries.
                rs = await _client.AppsV1.ReadNamespacedReplicaSetAsync(cached.Metadata.Name, cached.Metadata.NamespaceProperty, cancellationToken: ct);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                return cached;
            }
        }
    }
}
