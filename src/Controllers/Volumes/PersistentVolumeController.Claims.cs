using k8s;
using k8s.Models;
using KubeWeb.Controllers.Apps;
using KubeWeb.Core.Events;

namespace KubeWeb.Controllers.Volumes;

public sealed partial class PersistentVolumeController
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _told = new(StringComparer.Ordinal);

    private async Task SyncClaimAsync((string Namespace, string Name) key, CancellationToken ct)
    {
        var claim = _claims.Get(key.Namespace, key.Name);
        if (claim is null)
        {
            return;
        }

        if (claim.Metadata.DeletionTimestamp is not null)
        {
            await LiftClaimProtectionAsync(claim, ct);
            return;
        }

        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            await SyncUnboundClaimAsync(claim, ct);
        }
        else
        {
            await SyncBoundClaimAsync(claim, ct);
        }
    }

    private async Task SyncUnboundClaimAsync(V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        var className = claim.Spec?.StorageClassName ?? "";
        var storageClass = className.Length > 0 ? _classes.Get("", className) : null;
        string? node = null;
        claim.Metadata.Annotations?.TryGetValue(SelectedNode, out node);
        if (storageClass?.VolumeBindingMode == "WaitForFirstConsumer" && string.IsNullOrEmpty(node))
        {
            await SetClaimPhaseAsync(claim, "Pending", ct);
            Tell(claim, EventRecorder.Normal, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            return;
        }

        // A node not in the cache yet is matched by its name as hostname, as the kubelet labels it.
        var labels = node is { Length: > 0 } ? _nodes.Get("", node)?.Metadata.Labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = node } : null;
        if (VolumeMatching.FindBest(claim, _volumes.List(), string.IsNullOrEmpty(node) ? null : node, labels) is { } pv)
        {
            await BindAsync(claim, pv, ct);
            return;
        }

        await SetClaimPhaseAsync(claim, "Pending", ct);
        if (storageClass?.Provisioner == LocalPathProvisioner)
        {
            if (string.IsNullOrEmpty(node))
            {
                Tell(claim, EventRecorder.Warning, "ProvisioningFailed",
                    $"local-path volumes live on one node: storageclass \"{className}\" needs volumeBindingMode WaitForFirstConsumer");
                return;
            }

            await ProvisionAsync(claim, storageClass, node, ct);
        }
        else if (storageClass?.Provisioner is { Length: > 0 } provisioner)
        {
            Tell(claim, EventRecorder.Normal, "ExternalProvisioning",
                $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
        }
        else
        {
            Tell(claim, EventRecorder.Normal, "FailedBinding",
                className.Length == 0
                    ? "no persistent volumes available for this claim and no storage class is set"
                    : $"storageclass.storage.k8s.io \"{className}\" not found");
        }
    }

    private async Task SyncBoundClaimAsync(V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        var pv = _volumes.Get("", claim.Spec.VolumeName);
        var completed = claim.Metadata.Annotations?.ContainsKey(BindCompleted) == true;
        if (pv is null)
        {
            if (completed)
            {
                if (claim.Status?.Phase != "Lost")
                {
                    Tell(claim, EventRecorder.Warning, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
                }

                await SetClaimPhaseAsync(claim, "Lost", ct);
            }
            else
            {
                await SetClaimPhaseAsync(claim, "Pending", ct);
            }

            return;
        }

        if (pv.Spec?.ClaimRef is null || VolumeMatching.IsPreBoundTo(pv, claim))
        {
            await BindAsync(claim, pv, ct);
            return;
        }

        // The volume belongs to another claim.
        if (completed)
        {
            Tell(claim, EventRecorder.Warning, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
            await SetClaimPhaseAsync(claim, "Lost", ct);
        }
        else
        {
            await SetClaimPhaseAsync(claim, "Pending", ct);
        }
    }

    /// <summary>
    /// Upstream's bind: volume.claimRef (and bound-by-controller when the controller chose it),
    /// volume phase Bound, claim.volumeName with bind-completed, claim phase Bound with the volume's
    /// capacity and access modes. Each step is skipped when done, so an interrupted bind resumes.
    /// </summary>
    private async Task BindAsync(V1PersistentVolumeClaim claim, V1PersistentVolume pv, CancellationToken ct)
    {
        if (pv.Spec.ClaimRef?.Uid != claim.Metadata.Uid)
        {
            var copy = ObjectCopy.Clone(pv);
            if (copy.Spec.ClaimRef is null)
            {
                (copy.Metadata.Annotations ??= new Dictionary<string, string>())[BoundByController] = "yes";
            }

            copy.Spec.ClaimRef = new V1ObjectReference
            {
                Kind = "PersistentVolumeClaim",
                ApiVersion = "v1",
                NamespaceProperty = claim.Metadata.NamespaceProperty,
                Name = claim.Metadata.Name,
                Uid = claim.Metadata.Uid,
                ResourceVersion = claim.Metadata.ResourceVersion,
            };
            pv = await _client.CoreV1.ReplacePersistentVolumeAsync(copy, pv.Metadata.Name, cancellationToken: ct);
        }

        if (pv.Status?.Phase != "Bound")
        {
            var copy = ObjectCopy.Clone(pv);
            copy.Status = new V1PersistentVolumeStatus { Phase = "Bound" };
            pv = await _client.CoreV1.ReplacePersistentVolumeStatusAsync(copy, pv.Metadata.Name, cancellationToken: ct);
        }

        var annotations = claim.Metadata.Annotations ?? new Dictionary<string, string>();
        if (claim.Spec.VolumeName != pv.Metadata.Name || !annotations.ContainsKey(BindCompleted))
        {
            var copy = ObjectCopy.Clone(claim);
            var a = copy.Metadata.Annotations ??= new Dictionary<string, string>();
            if (string.IsNullOrEmpty(copy.Spec.VolumeName))
            {
                a[BoundByController] = "yes";
            }

            a[BindCompleted] = "yes";
            copy.Spec.VolumeName = pv.Metadata.Name;
            claim = await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(copy, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: ct);
        }

        var modes = pv.Spec.AccessModes ?? [];
        if (claim.Status?.Phase != "Bound" || !SameCapacity(claim.Status.Capacity, pv.Spec.Capacity) || !(claim.Status.AccessModes ?? []).SequenceEqual(modes))
        {
            var copy = ObjectCopy.Clone(claim);
            copy.Status ??= new V1PersistentVolumeClaimStatus();
            copy.Status.Phase = "Bound";
            copy.Status.Capacity = pv.Spec.Capacity;
            copy.Status.AccessModes = [.. modes];
            await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(copy, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: ct);
        }
    }

    private static bool SameCapacity(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity>? b) =>
        a is not null && b is not null && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var q) && q.ToDecimal() == kv.Value.ToDecimal());

    private async Task SetClaimPhaseAsync(V1PersistentVolumeClaim claim, string phase, CancellationToken ct)
    {
        if (claim.Status?.Phase == phase)
        {
            return;
        }

        var copy = ObjectCopy.Clone(claim);
        copy.Status ??= new V1PersistentVolumeClaimStatus();
        copy.Status.Phase = phase;
        await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(copy, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    /// <summary>pvc-protection: a claim being deleted keeps its finalizer while a running pod uses it.</summary>
    private async Task LiftClaimProtectionAsync(V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        if (claim.Metadata.Finalizers?.Contains(PvcProtection) != true || ClaimInUse(claim))
        {
            return;
        }

        var copy = ObjectCopy.Clone(claim);
        copy.Metadata.Finalizers.Remove(PvcProtection);
        await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(copy, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    /// <summary>Drops what <see cref="Tell"/> remembers about a deleted object.</summary>
    private void Forget(string uid)
    {
        foreach (var key in _told.Keys.Where(k => k.StartsWith(uid + "/", StringComparison.Ordinal)))
        {
            _told.TryRemove(key, out _);
        }
    }

    /// <summary>An event once per object, reason and message (each sync would otherwise repeat it).</summary>
    private void Tell(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message)
    {
        if (_told.TryAdd($"{obj.Metadata.Uid}/{reason}/{message}", 0))
        {
            _events.Record(obj, type, reason, message);
        }
    }
}
