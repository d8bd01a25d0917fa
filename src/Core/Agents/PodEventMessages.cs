namespace KubeWeb.Core.Agents;

/// <summary>
/// One kubelet event about a pod bound to the reporting node (<see cref="AgentHubProtocol.ReportEvents"/>).
/// The agent correlates as client-go's recorder does: a repeat of the same pod, field path, type,
/// reason and message keeps <paramref name="Name"/> and <paramref name="FirstTimestamp"/> and sends a
/// higher <paramref name="Count"/> and later <paramref name="LastTimestamp"/>. The server creates the
/// Event named <paramref name="Name"/> in the pod's namespace, or updates count, lastTimestamp and
/// message of the existing one; so a report sent twice (a retry) changes nothing.
/// <paramref name="FieldPath"/> names a container (<c>spec.containers{app}</c>), null for the pod.
/// </summary>
public sealed record PodEventReport(
    string Namespace,
    string PodName,
    string PodUid,
    string Name,
    string Type,
    string Reason,
    string Message,
    string? FieldPath,
    int Count,
    DateTime FirstTimestamp,
    DateTime LastTimestamp);
