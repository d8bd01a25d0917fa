namespace KubeWeb.Core.Agents;

public enum PodChangeType
{
    /// <summary>The pod is bound to the node, new or changed (including a deletionTimestamp being set).</summary>
    Upsert = 0,

    /// <summary>The pod is gone from the API, or no longer bound to this node.</summary>
    Delete = 1,
}

/// <summary>One change to a pod bound to the node. <paramref name="Pod"/> is the <c>v1 Pod</c> JSON; null for deletes.</summary>
public sealed record PodChange(PodChangeType Type, string Namespace, string Name, string Uid, string? Pod);

/// <summary>
/// One message of the <see cref="AgentHubProtocol.WatchPods"/> stream. The first message of every
/// stream has <paramref name="IsSnapshot"/> set and lists every pod bound to the node (all upserts):
/// the agent treats pods it runs that are not in it as deleted. Later messages carry changes in
/// the order the API committed them, at <paramref name="ResourceVersion"/> or later.
/// </summary>
public sealed record PodAssignmentBatch(bool IsSnapshot, long ResourceVersion, IReadOnlyList<PodChange> Changes);

/// <summary>
/// The status the agent observes for one pod (a <c>v1 PodStatus</c> as JSON). The server writes the
/// kubelet-owned fields (phase, conditions the agent reports, IPs, start time, container statuses)
/// through the status subresource and keeps the rest (qosClass, conditions owned by others).
/// <paramref name="Terminated"/> says the pod was being deleted and every container has stopped:
/// the server then removes the pod, as the kubelet's final delete with grace period 0.
/// A report whose <paramref name="Uid"/> no longer matches is ignored.
/// </summary>
public sealed record PodStatusReport(string Namespace, string Name, string Uid, string Status, bool Terminated);

public enum PodStatusOutcome
{
    /// <summary>Written (or already current); the pod was removed if the report said Terminated.</summary>
    Applied = 0,

    /// <summary>The pod (with that uid) no longer exists; the agent forgets it.</summary>
    Gone = 1,

    /// <summary>Not written (conflict, validation, store unavailable); the agent retries later.</summary>
    Failed = 2,
}

public sealed record PodStatusResult(string Namespace, string Name, string Uid, PodStatusOutcome Outcome, string? Message);
