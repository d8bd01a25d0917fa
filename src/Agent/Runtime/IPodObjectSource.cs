using k8s.Models;

namespace KubeWeb.Agent.Runtime;

/// <summary>
/// Reads what a pod's env and volumes reference (from the server, which only answers for the node's
/// own pods): ConfigMaps, Secrets, PersistentVolumeClaims and the volumes they are bound to, and
/// service account tokens bound to the pod. Null when the object does not exist; an exception when
/// it cannot be read now.
/// </summary>
public interface IPodObjectSource
{
    Task<V1ConfigMap?> GetConfigMapAsync(V1Pod pod, string name, CancellationToken ct);

    Task<V1Secret?> GetSecretAsync(V1Pod pod, string name, CancellationToken ct);

    Task<V1PersistentVolumeClaim?> GetPersistentVolumeClaimAsync(V1Pod pod, string name, CancellationToken ct);

    /// <summary>The volume a claim of the pod is bound to.</summary>
    Task<V1PersistentVolume?> GetPersistentVolumeAsync(V1Pod pod, string name, CancellationToken ct);

    /// <summary>A token for the pod's service account, bound to the pod.</summary>
    Task<(string Token, DateTimeOffset Expires)> RequestTokenAsync(V1Pod pod, string? audience, long expirationSeconds, CancellationToken ct);
}

/// <summary>A runtime that needs ConfigMaps and Secrets: the node agent hands it its source.</summary>
public interface IPodObjectConsumer
{
    IPodObjectSource? Objects { get; set; }
}
