namespace KubeWeb.Agent.Runtime;

public enum ContainerState
{
    /// <summary>Not started yet (being created, image pulling).</summary>
    Waiting,
    Running,
    Exited,
}

/// <summary>
/// An immutable snapshot of one container as the runtime sees it. <see cref="Message"/> explains a
/// waiting or terminated state (an image pull error, a termination message); <see cref="Previous"/>
/// is the instance before the last restart (the status' <c>lastState</c>).
/// </summary>
public sealed record RuntimeContainer(
    string Name,
    string Id,
    string Image,
    string ImageId,
    ContainerState State,
    int RestartCount,
    DateTime? StartedAt = null,
    DateTime? FinishedAt = null,
    int? ExitCode = null,
    string? Reason = null,
    bool IsInit = false,
    string? Message = null,
    RuntimeContainer? Previous = null);

/// <summary>An immutable snapshot of one pod (sandbox and containers) as the runtime sees it.</summary>
public sealed record RuntimePod(
    string Uid,
    string Namespace,
    string Name,
    bool SandboxReady,
    string? Ip,
    DateTime CreatedAt,
    IReadOnlyList<RuntimeContainer> Containers)
{
    /// <summary>Set once a stop has completed: every container exited, the sandbox is down.</summary>
    public DateTime? StoppedAt { get; init; }
}
