using System.Runtime.CompilerServices;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using KubeWeb.Core.Validation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Agents;

/// <summary>
/// <c>/hubs/agent</c>: where node agents register, heartbeat, receive their pods and report status
/// (see <see cref="AgentHubProtocol"/>). Only connections bearing the node token reach it
/// (<see cref="Security.TokenAuthentication"/>). A connection speaks for the node it registered;
/// every other method refuses to run before <see cref="Register"/>.
/// </summary>
internal sealed partial class AgentHub(
    NodeRegistrar nodes,
    PodStatusWriter statuses,
    PodEventWriter events,
    NodePodFeed feed,
    AgentSessions sessions,
    Streams.AgentStreamBroker streams,
    ApiReadiness readiness,
    ObjectStore store,
    Security.ServiceAccountTokens tokens,
    LocalVolumes localVolumes,
    Metrics.MetricsStore metrics,
    MirrorPodWriter mirrors,
    ILogger<AgentHub> log) : Hub
{
    private const string NodeKey = "kubeweb.node";
    private const string NodeUidKey = "kubeweb.node-uid";

    public async Task<RegistrationResult> Register(NodeRegistration registration)
    {
        if (!readiness.IsReady)
        {
            throw new HubException("the API server is not ready yet");
        }

        if (!NameValidation.IsDns1123Subdomain(registration.NodeName, out var error))
        {
            throw new HubException($"invalid node name \"{registration.NodeName}\": {error}");
        }

        var node = Decode<V1Node>(registration.Node);
        var result = await Guard(() => nodes.RegisterAsync(registration.NodeName, node, Context.ConnectionAborted));
        Context.Items[NodeKey] = registration.NodeName;
        Context.Items[NodeUidKey] = result.NodeUid;
        sessions.Replace(registration.NodeName, Context);
        LogRegistered(registration.NodeName, Context.ConnectionId);
        return result;
    }

    public Task RenewLease()
    {
        var node = RequireNode();
        return Guard(async () =>
        {
            await nodes.RenewLeaseAsync(node, (string)Context.Items[NodeUidKey]!, Context.ConnectionAborted);
            return true;
        });
    }

    /// <summary>False when the Node no longer exists: the agent registers again.</summary>
    public Task<bool> UpdateNodeStatus(NodeStatusUpdate update)
    {
        var node = RequireNode();
        var status = Decode<V1NodeStatus>(update.Status);
        return Guard(async () => await nodes.WriteStatusAsync(node, status, force: false, Context.ConnectionAborted) is not null);
    }

    public async IAsyncEnumerable<PodAssignmentBatch> WatchPods([EnumeratorCancellation] CancellationToken ct)
    {
        var node = RequireNode();
        using var subscription = feed.Subscribe(node);
        yield return new PodAssignmentBatch(true, subscription.Revision, subscription.Snapshot);
        var reader = subscription.Changes;
        while (await reader.WaitToReadAsync(ct))
        {
            var changes = new List<PodChange>();
            while (changes.Count < 500 && reader.TryRead(out var change))
            {
                changes.Add(change);
            }

            yield return new PodAssignmentBatch(false, 0, changes);
        }
    }

    public async Task<IReadOnlyList<PodStatusResult>> ReportPodStatuses(IReadOnlyList<PodStatusReport> reports)
    {
        var node = RequireNode();
        // Concurrent writes share the store's group commit: one transaction for the whole batch.
        return await Task.WhenAll(reports.Select(r => statuses.ApplyAsync(node, r, Context.ConnectionAborted)));
    }

    /// <summary>Kubelet events about the node's pods; reports about other pods are dropped.</summary>
    public async Task<int> ReportEvents(IReadOnlyList<PodEventReport> reports)
    {
        var node = RequireNode();
        var written = await Task.WhenAll(reports.Select(r => events.ApplyAsync(node, r, Context.ConnectionAborted)));
        return written.Count(w => w);
    }

    /// <summary>
    /// A ConfigMap, Secret or PersistentVolumeClaim for one of the node's pods: only in the pod's
    /// namespace, only when the pod (with that uid) is bound to this node and its spec references the
    /// object; or the PersistentVolume such a claim is bound to.
    /// </summary>
    public PodObjectResult GetPodObject(PodObjectRequest request)
    {
        var node = RequireNode();
        var resource = request.Kind switch
        {
            PodObjectReferences.ConfigMap => "configmaps",
            PodObjectReferences.Secret => "secrets",
            PodObjectReferences.PersistentVolumeClaim => "persistentvolumeclaims",
            PodObjectReferences.PersistentVolume => "persistentvolumes",
            _ => throw new HubException($"unsupported kind {request.Kind}"),
        };
        var pod = NodePod(node, request.Namespace, request.PodName, request.PodUid);
        var allowed = pod is not null && (request.Kind == PodObjectReferences.PersistentVolume
            ? PodObjectReferences.Claims(pod).Any(c => (store.Get("persistentvolumeclaims", request.Namespace, c)?.Object as V1PersistentVolumeClaim)?.Spec?.VolumeName == request.Name)
            : PodObjectReferences.References(pod, request.Kind, request.Name));
        if (!allowed)
        {
            throw new HubException($"403 Forbidden: node \"{node}\" cannot get {resource} {request.Namespace}/{request.Name}: no relationship found between node and this object");
        }

        var ns = request.Kind == PodObjectReferences.PersistentVolume ? "" : request.Namespace;
        return store.Get(resource, ns, request.Name) is { } stored
            ? new PodObjectResult(true, System.Text.Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(stored.Object, stored.Object.GetType())))
            : new PodObjectResult(false, null);
    }

    /// <summary>
    /// A token for the service account of one of the node's pods, bound to that pod (the kubelet's
    /// TokenRequest for projected serviceAccountToken volumes).
    /// </summary>
    public PodTokenResult RequestPodToken(PodTokenRequest request)
    {
        var node = RequireNode();
        var pod = NodePod(node, request.Namespace, request.PodName, request.PodUid)
            ?? throw new HubException($"403 Forbidden: node \"{node}\" cannot request a token for pod {request.Namespace}/{request.PodName}: no relationship found between node and this object");
        var name = pod.Spec?.ServiceAccountName is { Length: > 0 } sa ? sa : "default";
        if (store.Get("serviceaccounts", request.Namespace, name)?.Object is not V1ServiceAccount account)
        {
            throw new HubException($"404 NotFound: serviceaccounts \"{name}\" not found");
        }

        var seconds = Math.Clamp(request.ExpirationSeconds, Security.ServiceAccountTokens.MinExpirationSeconds, 1L << 32);
        var (token, expires) = tokens.Issue(account, request.Audience is { Length: > 0 } audience ? [audience] : null, seconds,
            new Security.BoundObject("Pod", pod.Metadata.Name, pod.Metadata.Uid));
        return new PodTokenResult(token, expires);
    }

    /// <summary>The node's local-path volumes being deleted (see <see cref="LocalVolumes"/>).</summary>
    public IReadOnlyList<LocalVolume> LocalVolumesToDelete() => localVolumes.ToDelete(RequireNode());

    /// <summary>The agent removed a local-path volume's folder.</summary>
    public Task LocalVolumeDeleted(string name)
    {
        var node = RequireNode();
        return Guard(async () =>
        {
            await localVolumes.DeletedAsync(node, name, Context.ConnectionAborted);
            return true;
        });
    }

    /// <summary>Resource usage for <c>metrics.k8s.io</c>: only pods bound to this node (with the reported uid) are kept.</summary>
    public void ReportStats(NodeStatsReport report)
    {
        var node = RequireNode();
        var pods = report.Pods
            .Where(p => NodePod(node, p.Namespace, p.Name, p.Uid) is not null)
            .Select(p => p with { Containers = [.. p.Containers.Select(c => c with { CpuNanoCores = Math.Max(0, c.CpuNanoCores), MemoryBytes = Math.Max(0, c.MemoryBytes) })] })
            .ToList();
        metrics.Record(node, report with { CpuNanoCores = Math.Max(0, report.CpuNanoCores), MemoryBytes = Math.Max(0, report.MemoryBytes), WindowSeconds = Math.Max(0, report.WindowSeconds) }, pods);
    }

    /// <summary>Creates or refreshes the mirror pod of one of the node's static pods (see <see cref="MirrorPodWriter"/>).</summary>
    public Task<MirrorPodResult> SyncMirrorPod(MirrorPodRequest request)
    {
        var node = RequireNode();
        if (!NameValidation.IsDns1123Subdomain(request.Name, out var error) || !NameValidation.IsDns1123Subdomain(request.Namespace, out error))
        {
            throw new HubException($"invalid mirror pod name {request.Namespace}/{request.Name}: {error}");
        }

        var pod = Decode<V1Pod>(request.Pod);
        return Guard(() => mirrors.SyncAsync(node, (string)Context.Items[NodeUidKey]!, request, pod, Context.ConnectionAborted));
    }

    /// <summary>Removes the mirror pod of a static pod that is gone from the node.</summary>
    public Task DeleteMirrorPod(MirrorPodDelete request)
    {
        var node = RequireNode();
        return Guard(async () =>
        {
            await mirrors.DeleteAsync(node, request, Context.ConnectionAborted);
            return true;
        });
    }

    private V1Pod? NodePod(string node, string ns, string name, string uid) =>
        store.Get("pods", ns, name)?.Object is V1Pod pod && pod.Metadata.Uid == uid && pod.Spec?.NodeName == node ? pod : null;

    /// <summary>The agent reads a pod stream's input (see <see cref="AgentStreamProtocol.StreamInput"/>).</summary>
    public IAsyncEnumerable<StreamFrame> StreamInput(string streamId, CancellationToken ct)
    {
        RequireNode();
        // A stream the server already closed (the agent refused it, the client left) has no input.
        return streams.Find(streamId, Context.ConnectionId)?.ReadInputAsync(ct) ?? AsyncEnumerable.Empty<StreamFrame>();
    }

    /// <summary>The agent sends a pod stream's output (see <see cref="AgentStreamProtocol.StreamOutput"/>).</summary>
    public async Task StreamOutput(string streamId, IAsyncEnumerable<StreamFrame> frames)
    {
        RequireNode();
        if (streams.Find(streamId, Context.ConnectionId) is { } stream)
        {
            await stream.ConsumeOutputAsync(frames, Context.ConnectionAborted);
        }
        else
        {
            // Closed meanwhile: drain so the agent's upload completes.
            try
            {
                await foreach (var _ in frames.WithCancellation(Context.ConnectionAborted))
                {
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HubException)
            {
            }
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        streams.ConnectionLost(Context.ConnectionId);
        if (Context.Items.TryGetValue(NodeKey, out var node) && node is string name)
        {
            sessions.Unbind(name, Context);
            LogDisconnected(name, exception?.Message ?? "closed");
        }

        return Task.CompletedTask;
    }

    private string RequireNode() =>
        Context.Items.TryGetValue(NodeKey, out var node) && node is string name
            ? name
            : throw new HubException("register the node first");

    private static T Decode<T>(string json)
    {
        try
        {
            return KubeJson.Deserialize<T>(System.Text.Encoding.UTF8.GetBytes(json)) ?? throw new HubException($"empty {typeof(T).Name}");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new HubException($"invalid {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>API errors reach the agent as hub errors with the API's message; the agent retries.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (ApiError e)
        {
            throw new HubException($"{e.Code} {e.Reason}: {e.Message}");
        }
        catch (StoreUnavailableException e)
        {
            throw new HubException($"503 ServiceUnavailable: {e.Message}");
        }
    }

    [LoggerMessage(LogLevel.Information, "Node {Node} registered (connection {ConnectionId})")]
    private partial void LogRegistered(string node, string connectionId);

    [LoggerMessage(LogLevel.Information, "Node {Node} disconnected: {Reason}")]
    private partial void LogDisconnected(string node, string reason);
}
