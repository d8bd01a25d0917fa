using k8s.Models;

namespace KubeWeb.Agent.Runtime;

/// <summary>
/// Reads the ConfigMaps and Secrets a pod references (from the server, which only answers for the
/// node's own pods). Null when the object does not exist; an exception when it cannot be read now.
/// </summary>
public interface IPodObjectSource
{
    Task<V1ConfigMap?> GetConfigMapAsync(V1Pod pod, string name, CancellationToken ct);

    Task<V1Secret?> GetSecretAsync(V1Pod pod, string name, CancellationToken ct);
}

/// <summary>A runtime that needs ConfigMaps and Secrets: the node agent hands it its source.</summary>
public interface IPodObjectConsumer
{
    IPodObjectSource? Objects { get; set; }
}
