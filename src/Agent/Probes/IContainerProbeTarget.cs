using k8s.Models;

namespace KubeWeb.Agent.Probes;

/// <summary>What a command run in a container returned: its exit code and stdout followed by stderr.</summary>
public sealed record ExecResult(int ExitCode, string Output);

/// <summary>Runs a command inside a running container (CRI ExecSync).</summary>
public interface IContainerExec
{
    /// <summary>
    /// Runs <paramref name="command"/> in the container and waits up to <paramref name="timeout"/>
    /// (<see cref="TimeSpan.Zero"/>: no limit). <paramref name="containerId"/> is the status' id
    /// (<c>containerd://...</c>).
    /// </summary>
    /// <exception cref="TimeoutException">The command did not finish in time.</exception>
    Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct);
}

/// <summary>
/// A runtime whose containers can be probed: the prober execs in them, and kills one whose liveness
/// or startup probe failed. The kill runs the preStop hook and then stops the container with the
/// rest of <paramref name="grace"/>; whether it starts again is the runtime's restartPolicy decision.
/// </summary>
public interface IContainerProbeTarget : IContainerExec
{
    Task KillContainerAsync(V1Pod pod, string containerName, string containerId, TimeSpan grace, string message, CancellationToken ct);

    /// <summary>Hands the runtime the prober's startup results: a sidecar counts as started (and the next init container may run) once its startup probe passed.</summary>
    void UseStartupResults(IStartupResults results)
    {
    }
}

/// <summary>What the runtime asks the prober.</summary>
public interface IStartupResults
{
    /// <summary>True when <paramref name="spec"/> has no startup probe, or it succeeded for this container id (<c>containerd://...</c>).</summary>
    bool IsStarted(string podUid, V1Container spec, string containerId);
}
