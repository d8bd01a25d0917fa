namespace KubeWeb.Core.Agents;

/// <summary>
/// The agent protocol: node agents dial out to the server's SignalR hub at <see cref="Path"/>
/// with the node join token as bearer token, then call these methods on it. Every payload that is a
/// Kubernetes object travels as its JSON (the API's own serialization), so the protocol never
/// re-models Pods or Nodes.
/// </summary>
/// <remarks>
/// Order on a connection: <see cref="Register"/> first (it binds the connection to a node name), then
/// <see cref="WatchPods"/> (a server-to-client stream), <see cref="RenewLease"/> every
/// <see cref="RegistrationResult.LeaseRenewIntervalSeconds"/>, <see cref="UpdateNodeStatus"/> and
/// <see cref="ReportPodStatuses"/> as things change. After a reconnect the agent registers again and
/// opens a new stream, which starts with a fresh snapshot.
/// </remarks>
public static class AgentHubProtocol
{
    public const string Path = "/hubs/agent";

    /// <summary><c>RegistrationResult Register(NodeRegistration)</c>: creates or updates the Node.</summary>
    public const string Register = nameof(Register);

    /// <summary><c>void RenewLease()</c>: renews the node's Lease in <c>kube-node-lease</c>.</summary>
    public const string RenewLease = nameof(RenewLease);

    /// <summary><c>void UpdateNodeStatus(NodeStatusUpdate)</c>: writes the Node's status when it changed or is due.</summary>
    public const string UpdateNodeStatus = nameof(UpdateNodeStatus);

    /// <summary><c>IAsyncEnumerable&lt;PodAssignmentBatch&gt; WatchPods()</c>: the pods bound to the node, snapshot then changes.</summary>
    public const string WatchPods = nameof(WatchPods);

    /// <summary><c>IReadOnlyList&lt;PodStatusResult&gt; ReportPodStatuses(IReadOnlyList&lt;PodStatusReport&gt;)</c>.</summary>
    public const string ReportPodStatuses = nameof(ReportPodStatuses);

    /// <summary>
    /// <c>PodObjectResult GetPodObject(PodObjectRequest)</c>: a ConfigMap or Secret a pod bound to the
    /// node references (see <see cref="PodObjectReferences"/>); anything else is refused.
    /// </summary>
    public const string GetPodObject = nameof(GetPodObject);

    /// <summary>
    /// <c>int ReportEvents(IReadOnlyList&lt;PodEventReport&gt;)</c>: kubelet events about the node's pods,
    /// written as core/v1 Events with source <c>kubelet</c> on the node; returns how many were written
    /// (reports about pods not bound to the node are dropped).
    /// </summary>
    public const string ReportEvents = nameof(ReportEvents);

    /// <summary>
    /// <c>PodTokenResult RequestPodToken(PodTokenRequest)</c>: a service account token bound to a pod
    /// bound to the node, for its projected serviceAccountToken volumes (the kubelet's TokenRequest).
    /// </summary>
    public const string RequestPodToken = nameof(RequestPodToken);

    /// <summary><c>IReadOnlyList&lt;LocalVolume&gt; LocalVolumesToDelete()</c>: the node's local-path volumes being deleted.</summary>
    public const string LocalVolumesToDelete = nameof(LocalVolumesToDelete);

    /// <summary><c>void LocalVolumeDeleted(string name)</c>: the volume's folder is gone; the server lifts its cleanup finalizer.</summary>
    public const string LocalVolumeDeleted = nameof(LocalVolumeDeleted);

    /// <summary>
    /// <c>void ReportStats(NodeStatsReport)</c>: the node's and its pods' resource usage, every stats
    /// interval; served as <c>metrics.k8s.io</c> (<c>kubectl top</c>). Pods not bound to the node are ignored.
    /// </summary>
    public const string ReportStats = nameof(ReportStats);

    /// <summary>
    /// <c>MirrorPodResult SyncMirrorPod(MirrorPodRequest)</c>: creates the mirror pod of a static pod,
    /// replaces one with another hash, removes one a user is deleting (no uid: created by a later call),
    /// and returns its uid (node-scoped).
    /// </summary>
    public const string SyncMirrorPod = nameof(SyncMirrorPod);

    /// <summary><c>void DeleteMirrorPod(MirrorPodDelete)</c>: removes a static pod's mirror (node-scoped).</summary>
    public const string DeleteMirrorPod = nameof(DeleteMirrorPod);

    /// <summary>The namespace node Leases live in.</summary>
    public const string NodeLeaseNamespace = "kube-node-lease";
}
