using k8s;
using k8s.Models;
using KubeWeb.Controllers.Apps;
using KubeWeb.Core.Events;

namespace KubeWeb.Controllers.Volumes;

public sealed partial class PersistentVolumeController
{
    private async Task SyncVolumeAsync(string name, CancellationToken ct)
    {
        var pv = _volumes.Get("", name);
        if (pv is null)
        {
            return;
        }

        if (pv.Metadata.DeletionTimestamp is not null)
        {
            await LiftVolumeProtectionAsync(pv, ct);
            return;
        }

        if (pv.Spec?.ClaimRef is not { } claimRef)
        {
            await SetVolumePhaseAsync(pv, "Available", null, ct);
            return;
        }

        var claim = _claims.Get(claimRef.NamespaceProperty ?? "", claimRef.Name);
        if (claim is null || (!string.IsNullOrEmpty(claimRef.Uid) && claim.Metadata.Uid != claimRef.Uid))
        {
            if (string.IsNullOrEmpty(claimRef.Uid))
            {
                // Pre-bound by the administrator to a claim that does not exist yet.
                await SetVolumePhaseAsync(pv, "Available", null, ct);
                return;
            }

            await ReclaimAsync(pv, ct);
            return;
        }

        if (claim.Spec?.VolumeName == pv.Metadata.Name)
        {
            await SetVolumePhaseAsync(pv, "Bound", null, ct);
        }
        else
        {
            // Bound on the volume's side only (a bind in progress): the claim finishes it.
            Queue.Add(ClaimKey(claim));
        }
    }

    /// <summary>The claim is gone: Released, then kept (Retain) or deleted (Delete).</summary>
    private async Task ReclaimAsync(V1PersistentVolume pv, CancellationToken ct)
    {
        pv = await SetVolumePhaseAsync(pv, "Released", null, ct);
        switch (pv.Spec.PersistentVolumeReclaimPolicy ?? "Retain")
        {
            case "Delete" when pv.Metadata.Annotations?.TryGetValue(ProvisionedBy, out var by) == true && by == LocalPathProvisioner:
                // The node's agent removes the folder, then lifts LocalPathCleanup; the object goes after that.
                await _client.CoreV1.DeletePersistentVolumeAsync(pv.Metadata.Name, cancellationToken: ct);
                break;
            case "Delete":
                Tell(pv, EventRecorder.Warning, "VolumeFailedDelete", $"error getting deleter volume plugin for volume \"{pv.Metadata.Name}\": no deletable volume plugin matched");
                await SetVolumePhaseAsync(pv, "Failed", "error getting deleter volume plugin for volume: no deletable volume plugin matched", ct);
                break;
            case "Recycle":
                Tell(pv, EventRecorder.Warning, "VolumeFailedRecycle", "Recycle is deprecated and not supported; use Delete or Retain");
                await SetVolumePhaseAsync(pv, "Failed", "Recycle is not supported", ct);
                break;
        }
    }

    private async Task<V1PersistentVolume> SetVolumePhaseAsync(V1PersistentVolume pv, string phase, string? message, CancellationToken ct)
    {
        if (pv.Status?.Phase == phase && pv.Status.Message == message)
        {
            return pv;
        }

        var copy = ObjectCopy.Clone(pv);
        copy.Status = new V1PersistentVolumeStatus { Phase = phase, Message = message, LastPhaseTransitionTime = Time.GetUtcNow().UtcDateTime };
        return await _client.CoreV1.ReplacePersistentVolumeStatusAsync(copy, pv.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>pv-protection: a volume being deleted keeps its finalizer while a claim is bound to it.</summary>
    private async Task LiftVolumeProtectionAsync(V1PersistentVolume pv, CancellationToken ct)
    {
        if (pv.Metadata.Finalizers?.Contains(PvProtection) != true)
        {
            return;
        }

        if (pv.Spec?.ClaimRef is { } r && _claims.Get(r.NamespaceProperty ?? "", r.Name) is { } claim
            && (string.IsNullOrEmpty(r.Uid) || claim.Metadata.Uid == r.Uid) && claim.Spec?.VolumeName == pv.Metadata.Name)
        {
            return;
        }

        var copy = ObjectCopy.Clone(pv);
        copy.Metadata.Finalizers.Remove(PvProtection);
        await _client.CoreV1.ReplacePersistentVolumeAsync(copy, pv.Metadata.Name, cancellationToken: ct);
    }
}
