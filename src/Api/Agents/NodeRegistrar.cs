using System.Net;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Agents;

/// <summary>
/// The server half of the kubelet's node registration and heartbeats: creates or updates the Node,
/// writes its status, renews its Lease. All writes go through <see cref="ResourceHandler"/>'s
/// internal create/update paths, so defaulting, validation, managed fields and watches behave
/// exactly as for a REST client.
/// </summary>
internal sealed class NodeRegistrar(ResourceHandler handler, ObjectStore store, ResourceRegistry registry, AgentHubOptions options, TimeProvider time)
{
    private const string FieldManager = "kubelet";

    private readonly ResourceType _nodes = registry.Find("", "v1", "nodes")!;
    private readonly ResourceType _leases = registry.Find("coordination.k8s.io", "v1", "leases")!;
    private readonly Lock _cidrLock = new();
    private readonly HashSet<string> _reservedCidrs = new(StringComparer.Ordinal);

    public async Task<RegistrationResult> RegisterAsync(string nodeName, V1Node reported, CancellationToken ct)
    {
        reported.Metadata ??= new V1ObjectMeta();
        reported.Metadata.Name = nodeName;
        reported.Spec ??= new V1NodeSpec();
        StampConditions(reported.Status, null);
        StoredObject stored;
        if (store.Get("nodes", "", nodeName) is null)
        {
            if (string.IsNullOrEmpty(reported.Spec.PodCIDR))
            {
                reported.Spec.PodCIDR = AllocatePodCidr();
                reported.Spec.PodCIDRs = [reported.Spec.PodCIDR];
            }

            try
            {
                stored = await handler.CreateObjectAsync(_nodes, null, reported, WriteOptions.Internal(FieldManager), ct);
                return Result(stored);
            }
            catch (ApiError e) when (e.Code == 409)
            {
                // Registered concurrently (another connection for the same name): update it instead.
            }
        }

        var info = NodeInfo(nodeName);
        stored = await handler.UpdateObjectAsync(_nodes, info, current =>
        {
            var node = (V1Node)store.Codec.Copy(current);
            node.Metadata.ResourceVersion = null;
            node.Metadata.Labels ??= new Dictionary<string, string>();
            foreach (var (k, v) in reported.Metadata.Labels ?? new Dictionary<string, string>())
            {
                node.Metadata.Labels[k] = v;
            }

            node.Spec ??= new V1NodeSpec();
            if (string.IsNullOrEmpty(node.Spec.PodCIDR))
            {
                node.Spec.PodCIDR = string.IsNullOrEmpty(reported.Spec.PodCIDR) ? AllocatePodCidr() : reported.Spec.PodCIDR;
                node.Spec.PodCIDRs = [node.Spec.PodCIDR];
            }

            return node;
        }, null, WriteOptions.Internal(FieldManager), preconditioned: false, ct);
        stored = await WriteStatusAsync(nodeName, reported.Status, force: true, ct) ?? stored;
        return Result(stored);
    }

    /// <summary>
    /// Writes the reported status when it differs from the stored one in more than heartbeat times,
    /// or when the stored heartbeat is older than the report interval. Returns null when the Node is gone.
    /// </summary>
    public async Task<StoredObject?> WriteStatusAsync(string nodeName, V1NodeStatus? reported, bool force, CancellationToken ct)
    {
        if (store.Get("nodes", "", nodeName) is not { } current)
        {
            return null;
        }

        if (!force && !StatusDue((V1Node)current.Object, reported))
        {
            return current;
        }

        try
        {
            return await handler.UpdateObjectAsync(_nodes, NodeInfo(nodeName), c =>
            {
                var node = (V1Node)store.Codec.Copy(c);
                node.Metadata.ResourceVersion = null;
                var status = KubeWeb.Core.Serialization.KubeJson.Deserialize<V1NodeStatus>(
                    KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(reported ?? new V1NodeStatus()))!;
                StampConditions(status, node.Status);
                node.Status = status;
                return node;
            }, "status", WriteOptions.Internal(FieldManager), preconditioned: false, ct);
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Renews (or creates) the node's Lease in kube-node-lease, owned by the Node as upstream.</summary>
    public async Task RenewLeaseAsync(string nodeName, string nodeUid, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (store.Get(_leases.StorageResource, AgentHubProtocol.NodeLeaseNamespace, nodeName) is null)
        {
            var lease = new V1Lease
            {
                Metadata = new V1ObjectMeta
                {
                    Name = nodeName,
                    NamespaceProperty = AgentHubProtocol.NodeLeaseNamespace,
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = nodeUid }],
                },
                Spec = new V1LeaseSpec { HolderIdentity = nodeName, LeaseDurationSeconds = options.LeaseDurationSeconds, RenewTime = now },
            };
            try
            {
                await handler.CreateObjectAsync(_leases, AgentHubProtocol.NodeLeaseNamespace, lease, WriteOptions.Internal(FieldManager), ct);
                return;
            }
            catch (ApiError e) when (e.Code == 409)
            {
            }
        }

        await handler.UpdateObjectAsync(_leases, new RequestInfo("coordination.k8s.io", "v1", AgentHubProtocol.NodeLeaseNamespace, "leases", nodeName, null), current =>
        {
            var lease = (V1Lease)store.Codec.Copy(current);
            lease.Metadata.ResourceVersion = null;
            lease.Spec ??= new V1LeaseSpec();
            lease.Spec.HolderIdentity = nodeName;
            lease.Spec.LeaseDurationSeconds = options.LeaseDurationSeconds;
            lease.Spec.RenewTime = now;
            return lease;
        }, null, WriteOptions.Internal(FieldManager), preconditioned: false, ct);
    }

    private RegistrationResult Result(StoredObject stored)
    {
        var node = (V1Node)stored.Object;
        return new RegistrationResult(node.Metadata.Uid, node.Spec?.PodCIDR, options.LeaseDurationSeconds, options.LeaseRenewIntervalSeconds,
            (int)Math.Max(1, options.NodeStatusReportInterval.TotalSeconds));
    }

    private bool StatusDue(V1Node current, V1NodeStatus? reported)
    {
        var heartbeat = current.Status?.Conditions?.Where(c => c.Type == "Ready").Select(c => c.LastHeartbeatTime).FirstOrDefault();
        if (heartbeat is null || time.GetUtcNow().UtcDateTime - heartbeat.Value >= options.NodeStatusReportInterval)
        {
            return true;
        }

        return !Comparable(current.Status).SequenceEqual(Comparable(reported));
    }

    /// <summary>The status as JSON without heartbeat and transition times: what "changed" means for a Node.</summary>
    private static byte[] Comparable(V1NodeStatus? status)
    {
        var copy = KubeWeb.Core.Serialization.KubeJson.Deserialize<V1NodeStatus>(
            KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(status ?? new V1NodeStatus()))!;
        foreach (var c in copy.Conditions ?? [])
        {
            c.LastHeartbeatTime = null;
            c.LastTransitionTime = null;
        }

        return KubeWeb.Core.Serialization.KubeJson.SerializeToUtf8(copy);
    }

    /// <summary>Heartbeat = now; a condition keeps its transition time unless its status changed (as the kubelet does against the stored Node).</summary>
    private void StampConditions(V1NodeStatus? status, V1NodeStatus? previous)
    {
        var now = TruncatedNow();
        foreach (var c in status?.Conditions ?? [])
        {
            c.LastHeartbeatTime = now;
            var before = previous?.Conditions?.FirstOrDefault(p => p.Type == c.Type);
            c.LastTransitionTime = before is not null && before.Status == c.Status ? before.LastTransitionTime : now;
        }
    }

    private string AllocatePodCidr()
    {
        var (network, prefix) = ParseCidr(options.ClusterCidr);
        lock (_cidrLock)
        {
            var (nodes, _) = store.List("nodes", null);
            var used = new HashSet<string>(_reservedCidrs, StringComparer.Ordinal);
            foreach (var n in nodes)
            {
                if (((V1Node)n.Object).Spec?.PodCIDR is { Length: > 0 } c)
                {
                    used.Add(c);
                }
            }

            var count = prefix >= 24 ? 1 : 1 << (24 - prefix);
            for (var i = 0; i < count; i++)
            {
                var bytes = network.GetAddressBytes();
                var value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + ((uint)i << 8);
                var cidr = $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.0/24";
                if (used.Add(cidr))
                {
                    _reservedCidrs.Add(cidr);
                    return cidr;
                }
            }
        }

        throw new ApiError(503, "ServiceUnavailable", $"no pod CIDR left in the cluster CIDR {options.ClusterCidr}");
    }

    private static (IPAddress Network, int Prefix) ParseCidr(string cidr)
    {
        var net = IPNetwork.Parse(cidr);
        return (net.BaseAddress, net.PrefixLength);
    }

    private DateTime TruncatedNow()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static RequestInfo NodeInfo(string nodeName) => new("", "v1", null, "nodes", nodeName, null);
}
