using k8s.Models;

namespace KubeWeb.Agent.Runtime;

/// <summary>
/// What a node agent needs from a container runtime, at pod granularity. The containerd runtime
/// maps it onto CRI (RunPodSandbox/CreateContainer/StartContainer, StopPodSandbox,
/// RemovePodSandbox, ListPodSandbox + ListContainers, UpdateRuntimeConfig); the simulated runtime
/// only pretends. Every method is idempotent and keyed by pod uid, so a resync after a reconnect
/// or an agent restart never starts a pod twice.
/// </summary>
public interface IPodRuntime
{
    /// <summary>For the Node's <c>nodeInfo.containerRuntimeVersion</c>, e.g. <c>containerd://2.1.4</c>.</summary>
    string Version { get; }

    /// <summary>
    /// Raised with a pod uid whenever the runtime's view of that pod changed (a container started,
    /// exited, a stop finished): the agent's PLEG. Handlers must be quick; they only wake workers.
    /// </summary>
    event Action<string>? PodChanged;

    /// <summary>The node's pod CIDR, once the server assigned it (CRI UpdateRuntimeConfig).</summary>
    Task UpdatePodCidrAsync(string podCidr, CancellationToken ct);

    /// <summary>
    /// Makes the runtime run <paramref name="pod"/> as its spec says: creates the sandbox and
    /// containers when missing, replaces containers whose image changed. Returns once the work is
    /// started, not when the pod is running; progress arrives through <see cref="PodChanged"/>.
    /// </summary>
    Task SyncPodAsync(V1Pod pod, CancellationToken ct);

    /// <summary>
    /// Stops every container of the pod, giving them up to <paramref name="gracePeriod"/> (SIGTERM,
    /// then SIGKILL), and stops the sandbox. Completes when all are stopped. Calling it again while a
    /// stop is in progress may shorten the grace period, never lengthen it.
    /// </summary>
    Task KillPodAsync(string podUid, TimeSpan gracePeriod, CancellationToken ct);

    /// <summary>Removes a stopped pod's sandbox and containers (and releases its IP).</summary>
    Task RemovePodAsync(string podUid, CancellationToken ct);

    /// <summary>The runtime's current view of one pod, or null when it has none.</summary>
    Task<RuntimePod?> GetPodAsync(string podUid, CancellationToken ct);

    /// <summary>Every pod the runtime knows (for adoption and orphan clean-up).</summary>
    Task<IReadOnlyList<RuntimePod>> ListPodsAsync(CancellationToken ct);
}
