using k8s.Models;
using KubeWeb.Core.Informers;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class DeploymentReconciler
{
    /// <summary>
    /// Upstream syncRolloutStatus: the counts, plus the Progressing condition (NewReplicaSetAvailable
    /// when complete, ReplicaSetUpdated while moving, ProgressDeadlineExceeded when stuck past
    /// progressDeadlineSeconds) and ReplicaFailure carried up from the ReplicaSets. An unchanged
    /// status is not written; a rollout still in progress is re-checked when its deadline falls.
    /// </summary>
    private async Task SyncRolloutStatusAsync(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRS, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var status = ComputeRolloutStatus(d, all, newRS, now);
        if (ObjectCopy.SameJson(d.Status, status))
        {
            RequeueIfStuck(d, status, now);
            return;
        }

        d.Status = status;
        await WriteStatusAsync(d, ct);
    }

    internal static V1DeploymentStatus ComputeRolloutStatus(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRS, DateTimeOffset now)
    {
        var status = CalculateStatus(d, all, newRS, now);
        if (!DeploymentConditions.HasProgressDeadline(d))
        {
            DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
        }

        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        var complete = status.Replicas == status.UpdatedReplicas && current?.Reason == DeploymentConditions.NewReplicaSetAvailable;
        if (DeploymentConditions.HasProgressDeadline(d) && !complete)
        {
            if (DeploymentConditions.Complete(d, status))
            {
                var message = newRS is null ? $"Deployment \"{d.Metadata.Name}\" has successfully progressed." : $"ReplicaSet \"{newRS.Metadata.Name}\" has successfully progressed.";
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetAvailable, message, now));
            }
            else if (DeploymentConditions.Progressed(d, status))
            {
                var message = newRS is null ? $"Deployment \"{d.Metadata.Name}\" is progressing." : $"ReplicaSet \"{newRS.Metadata.Name}\" is progressing.";
                var condition = DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdated, message, now);

                // Progress moves lastUpdateTime even when the reason stays; the transition time stays while True.
                if (current is not null)
                {
                    if (current.Status == "True")
                    {
                        condition.LastTransitionTime = current.LastTransitionTime;
                    }

                    DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
                }

                DeploymentConditions.Set(status, condition);
            }
            else if (DeploymentConditions.TimedOut(d, status, now))
            {
                var message = newRS is null ? $"Deployment \"{d.Metadata.Name}\" has timed out progressing." : $"ReplicaSet \"{newRS.Metadata.Name}\" has timed out progressing.";
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, "False", DeploymentConditions.ProgressDeadlineExceeded, message, now));
            }
        }

        var failure = all.Where(rs => rs is not null)
            .Select(rs => rs!.Status?.Conditions?.FirstOrDefault(c => c.Type == DeploymentConditions.ReplicaFailure && c.Status == "True"))
            .FirstOrDefault(c => c is not null);
        if (failure is not null)
        {
            DeploymentConditions.Set(status, new V1DeploymentCondition
            {
                Type = DeploymentConditions.ReplicaFailure,
                Status = failure.Status,
                Reason = failure.Reason,
                Message = failure.Message,
                LastTransitionTime = failure.LastTransitionTime,
                LastUpdateTime = failure.LastTransitionTime,
            });
        }
        else
        {
            DeploymentConditions.Remove(status, DeploymentConditions.ReplicaFailure);
        }

        return status;
    }

    /// <summary>Checks back once the progress deadline of a rollout still in progress has passed.</summary>
    private void RequeueIfStuck(V1Deployment d, V1DeploymentStatus status, DateTimeOffset now)
    {
        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (!DeploymentConditions.HasProgressDeadline(d) || current is null
            || DeploymentConditions.Complete(d, status) || current.Reason == DeploymentConditions.ProgressDeadlineExceeded)
        {
            return;
        }

        var from = current.LastUpdateTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : now;
        var after = from.AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) - now;
        var key = ObjectKeys.Of(d);
        if (after < TimeSpan.FromSeconds(1))
        {
            Queue.AddRateLimited(key);
        }
        else
        {
            Queue.AddAfter(key, after + TimeSpan.FromSeconds(1));
        }
    }
}
