using System.Text;
using k8s.Models;
using KubeWeb.Agent.Runtime;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.SignalR.Client;

namespace KubeWeb.Agent.Hosting;

public sealed partial class NodeAgent : IPodObjectSource
{
    public Task<V1ConfigMap?> GetConfigMapAsync(V1Pod pod, string name, CancellationToken ct) =>
        GetAsync<V1ConfigMap>(pod, PodObjectReferences.ConfigMap, name, ct);

    public Task<V1Secret?> GetSecretAsync(V1Pod pod, string name, CancellationToken ct) =>
        GetAsync<V1Secret>(pod, PodObjectReferences.Secret, name, ct);

    public Task<V1PersistentVolumeClaim?> GetPersistentVolumeClaimAsync(V1Pod pod, string name, CancellationToken ct) =>
        GetAsync<V1PersistentVolumeClaim>(pod, PodObjectReferences.PersistentVolumeClaim, name, ct);

    public Task<V1PersistentVolume?> GetPersistentVolumeAsync(V1Pod pod, string name, CancellationToken ct) =>
        GetAsync<V1PersistentVolume>(pod, PodObjectReferences.PersistentVolume, name, ct);

    public async Task<(string Token, DateTimeOffset Expires)> RequestTokenAsync(V1Pod pod, string? audience, long expirationSeconds, CancellationToken ct)
    {
        RequireRegistered();
        var meta = pod.Metadata;
        var result = await _connection.InvokeAsync<PodTokenResult>(
            AgentHubProtocol.RequestPodToken,
            new PodTokenRequest(meta.NamespaceProperty ?? "default", meta.Name, meta.Uid, audience, expirationSeconds),
            ct);
        return (result.Token, result.ExpirationTimestamp);
    }

    private async Task<T?> GetAsync<T>(V1Pod pod, string kind, string name, CancellationToken ct)
        where T : class
    {
        RequireRegistered();
        var meta = pod.Metadata;
        var result = await _connection.InvokeAsync<PodObjectResult>(
            AgentHubProtocol.GetPodObject,
            new PodObjectRequest(meta.NamespaceProperty ?? "default", meta.Name, meta.Uid, kind, name),
            ct);
        return result.Found && result.Object is { } json ? KubeJson.Deserialize<T>(Encoding.UTF8.GetBytes(json)) : null;
    }

    /// <summary>Node-scoped hub calls only make sense once this connection has registered the node.</summary>
    private void RequireRegistered()
    {
        if (!IsRegistered)
        {
            throw new InvalidOperationException("not registered on the current connection");
        }
    }
}
