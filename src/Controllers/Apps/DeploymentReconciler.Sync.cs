using k8s;
using System.Globalization;
using System.Text.Json;
using k8s.Models;
using KubeWeb.Core.Events;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Controllers.Apps;

internal sealed partial class DeploymentReconciler
{
    /// <summary>
    /// The new ReplicaSet (template equal to the Deployment's, created when asked) and every other
    /// one. Raises the new one's revision to max(old)+1, so a template that comes back (rollback)
    /// becomes the newest revision again, and mirrors the revision onto the Deployment.
    /// </summary>
    private async Task<(V1ReplicaSet? New, List<V1ReplicaSet> Old)> GetAllReplicaSetsAndSyncRevisionAsync(
        V1Deployment d, List<V1ReplicaSet> rsList, bool createIfMissing, CancellationToken ct)
    {
        var existing = FindNewReplicaSet(d, rsList);
        var old = rsList.Where(rs => !ReferenceEquals(rs, existing)).ToList();
        var newRevision = DeploymentRevisions.MaxRevision(old) + 1;
        if (existing is not null)
        {
            return (await SyncExistingNewReplicaSetAsync(d, existing, newRevision, ct), old);
        }

        return createIfMissing ? (await CreateNewReplicaSetAsync(d, old, newRevision, ct), old) : (null, old);
    }

    /// <summary>The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash label.</summary>
    internal static V1ReplicaSet? FindNewReplicaSet(V1Deployment d, IEnumerable<V1ReplicaSet> rsList) =>
        ReplicaSetOrder.Sorted(rsList, ReplicaSetOrder.ByCreation).FirstOrDefault(rs => PodTemplateHash.EqualIgnoreHash(rs.Spec.Template, d.Spec.Template));

    private async Task<V1ReplicaSet> SyncExistingNewReplicaSetAsync(V1Deployment d, V1ReplicaSet existing, long newRevision, CancellationToken ct)
    {
        var copy = ObjectCopy.Clone(existing);
        var annotationsChanged = DeploymentRevisions.SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
        if (annotationsChanged || (copy.Spec.MinReadySeconds ?? 0) != (d.Spec.MinReadySeconds ?? 0))
        {
            copy.Spec.MinReadySeconds = d.Spec.MinReadySeconds;
            return await _client.AppsV1.ReplaceNamespacedReplicaSetAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: ct);
        }

        await SetDeploymentRevisionAsync(d, DeploymentRevisions.RevisionText(copy), ct);
        if (DeploymentConditions.HasProgressDeadline(d) && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing) is null)
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True",
                DeploymentConditions.FoundNewReplicaSet, $"Found new replica set \"{copy.Metadata.Name}\"", Time.GetUtcNow()));
            await WriteStatusAsync(d, ct);
        }

        return copy;
    }

    private async Task<V1ReplicaSet?> CreateNewReplicaSetAsync(V1Deployment d, List<V1ReplicaSet> old, long newRevision, CancellationToken ct)
    {
        var hash = PodTemplateHash.Compute(d.Spec.Template, d.Status.CollisionCount);
        var template = PodTemplateHash.WithHash(d.Spec.Template, hash);
        var selector = ObjectCopy.Clone(d.Spec.Selector);
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [PodTemplateHash.Label] = hash };
        var rs = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = d.Metadata.Name + "-" + hash,
                NamespaceProperty = d.Metadata.NamespaceProperty,
                OwnerReferences = [OwnerRefs.ControllerRef(d, "apps/v1", "Deployment")],
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                MinReadySeconds = d.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
        var replicas = DeploymentMath.NewRSNewReplicas(d, [.. old, rs], rs);
        rs.Spec.Replicas = replicas;
        DeploymentRevisions.SetNewReplicaSetAnnotations(d, rs, newRevision, exists: false);

        V1ReplicaSet created;
        var alreadyExisted = false;
        try
        {
            created = await _client.AppsV1.CreateNamespacedReplicaSetAsync(rs, rs.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            var found = await _client.AppsV1.ReadNamespacedReplicaSetAsync(rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct);
            if (!OwnerRefs.IsControlledBy(found, d.Metadata.Uid) || !PodTemplateHash.EqualIgnoreHash(d.Spec.Template, found.Spec.Template))
            {
                // A hash collision with someone else's ReplicaSet: the next attempt hashes with a bumped count.
                d.Status.CollisionCount = (d.Status.CollisionCount ?? 0) + 1;
                await WriteStatusAsync(d, ct);
                throw new InvalidOperationException($"replica set \"{rs.Metadata.Name}\" already exists and is not the new replica set of {d.Metadata.Name}; collision count is now {d.Status.CollisionCount}");
            }

            created = found;
            alreadyExisted = true;
        }
        catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
        {
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = $"Failed to create new replica set \"{rs.Metadata.Name}\": {e.Message}";
            if (DeploymentConditions.HasProgressDeadline(d))
            {
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "False",
                    DeploymentConditions.FailedReplicaSetCreate, message, Time.GetUtcNow()));
                await WriteStatusAsync(d, ct);
            }

            _events.Record(d, EventRecorder.Warning, "FailedCreate", message);
            throw;
        }

        if (!alreadyExisted && replicas > 0)
        {
            _events.Record(d, EventRecorder.Normal, "ScalingReplicaSet", $"Scaled up replica set {created.Metadata.Name} from 0 to {replicas}");
        }

        await SetDeploymentRevisionAsync(d, newRevision.ToString(CultureInfo.InvariantCulture), ct);
        if (!alreadyExisted && DeploymentConditions.HasProgressDeadline(d))
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True",
                DeploymentConditions.NewReplicaSetCreated, $"Created new replica set \"{created.Metadata.Name}\"", Time.GetUtcNow()));
            await WriteStatusAsync(d, ct);
        }

        return created;
    }

    /// <summary>
    /// Mirrors the new ReplicaSet's revision onto the Deployment. Upstream carries it in the status
    /// write; here status writes keep metadata, so it is a metadata-only patch (no generation bump),
    /// guarded by the resourceVersion the rest of this sync works from.
    /// </summary>
    private async Task SetDeploymentRevisionAsync(V1Deployment d, string? revision, CancellationToken ct)
    {
        if (revision is null || (d.Metadata.Annotations?.TryGetValue(DeploymentRevisions.RevisionAnnotation, out var current) == true && current == revision))
        {
            return;
        }

        var patch = new { metadata = new { resourceVersion = d.Metadata.ResourceVersion, annotations = new Dictionary<string, string> { [DeploymentRevisions.RevisionAnnotation] = revision } } };
        var updated = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(JsonSerializer.Serialize(patch, KubeJson.Options), V1Patch.PatchType.MergePatch),
            d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: ct);
        d.Metadata.Annotations = updated.Metadata.Annotations;
        d.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }

    /// <summary>Writes d.Status through deployments/status and keeps the new resourceVersion for later writes in this sync.</summary>
    private async Task WriteStatusAsync(V1Deployment d, CancellationToken ct)
    {
        var updated = await _client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: ct);
        d.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }

    /// <summary>A scaling event: some active ReplicaSet was sized for a different replica count than the Deployment now asks for.</summary>
    private async Task<bool> IsScalingEventAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken ct)
    {
        var (newRS, old) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfMissing: false, ct);
        return Active([.. old, newRS]).Any(rs => DeploymentRevisions.DesiredReplicas(rs) is { } desired && desired != DeploymentMath.Replicas(d));
    }

    /// <summary>Paused or scaling: resize without moving the rollout forward (upstream sync).</summary>
    private async Task SyncAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken ct)
    {
        var (newRS, old) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, createIfMissing: false, ct);
        var (scaledNew, scaledOld) = await ScaleAsync(d, newRS, old, ct);
        if (d.Spec.Paused == true)
        {
            await CleanupAsync(d, scaledOld, ct);
        }

        await SyncStatusAsync(d, [.. scaledOld, scaledNew], scaledNew, ct);
    }

    /// <summary>Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit.</summary>
    private async Task CleanupAsync(V1Deployment d, List<V1ReplicaSet> old, CancellationToken ct)
    {
        if (d.Spec.RevisionHistoryLimit is not { } limit)
        {
            return;
        }

        var cleanable = old.Where(rs => rs.Metadata.DeletionTimestamp is null).ToList();
        var diff = cleanable.Count - limit;
        if (diff <= 0)
        {
            return;
        }

        cleanable.Sort(ReplicaSetOrder.ByRevision);
        foreach (var rs in cleanable.Take(diff))
        {
            if ((rs.Status?.Replicas ?? 0) != 0 || DeploymentMath.Replicas(rs) != 0
                || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0) || rs.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            try
            {
                await _client.AppsV1.DeleteNamespacedReplicaSetAsync(rs.Metadata.Name, rs.Metadata.NamespaceProperty,
                    new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = rs.Metadata.Uid } }, cancellationToken: ct);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
            }
        }
    }

    /// <summary>Upstream calculateStatus: counts summed over the ReplicaSets, Available from maxUnavailable.</summary>
    internal static V1DeploymentStatus CalculateStatus(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRS, DateTimeOffset now)
    {
        var available = DeploymentMath.AvailableReplicas(all);
        var total = DeploymentMath.SpecReplicas(all);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = DeploymentMath.StatusReplicas(all),
            UpdatedReplicas = DeploymentMath.StatusReplicas([newRS]),
            ReadyReplicas = DeploymentMath.ReadyReplicas(all),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, total - available),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions is { } conditions ? [.. conditions.Select(ObjectCopy.Clone)] : null,
        };
        if (available >= DeploymentMath.Replicas(d) - DeploymentMath.MaxUnavailable(d))
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Available, "True",
                DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now));
        }
        else
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Available, "False",
                DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        }

        return status;
    }

    private async Task SyncStatusAsync(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRS, CancellationToken ct)
    {
        var status = CalculateStatus(d, all, newRS, Time.GetUtcNow());
        if (ObjectCopy.SameJson(d.Status, status))
        {
            return;
        }

        d.Status = status;
        await WriteStatusAsync(d, ct);
    }

    /// <summary>Progressing=Unknown with DeploymentPaused / DeploymentResumed as the Deployment is paused or resumed.</summary>
    private async Task CheckPausedConditionsAsync(V1Deployment d, CancellationToken ct)
    {
        if (!DeploymentConditions.HasProgressDeadline(d))
        {
            return;
        }

        var condition = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (condition?.Reason == DeploymentConditions.ProgressDeadlineExceeded)
        {
            return;
        }

        var pausedRecorded = condition?.Reason == DeploymentConditions.DeploymentPaused;
        var paused = d.Spec.Paused == true;
        if (paused == pausedRecorded)
        {
            return;
        }

        DeploymentConditions.Set(d.Status, paused
            ? DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentPaused, "Deployment is paused", Time.GetUtcNow())
            : DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentResumed, "Deployment is resumed", Time.GetUtcNow()));
        await WriteStatusAsync(d, ct);
    }
}
