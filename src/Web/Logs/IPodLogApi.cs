namespace KubeWeb.Web.Logs;

/// <summary>What a log stream needs of the API; tests replace it with scripted streams.</summary>
public interface IPodLogApi
{
    /// <summary>GET pods/{pod}/log with <c>timestamps=true</c>; the caller disposes the stream.</summary>
    Task<Stream> OpenAsync(string ns, LogSource source, LogRequest request, CancellationToken ct);

    /// <summary>Whether the container runs now, has not started yet, or is gone (terminated, pod deleted).</summary>
    Task<ContainerRunState> StateAsync(string ns, LogSource source, CancellationToken ct);
}

/// <summary>Query of one log request: follow, previous, tail on first open, and since-seconds when resuming.</summary>
public sealed record LogRequest(bool Follow, bool Previous, int? TailLines, int? SinceSeconds);

public enum ContainerRunState
{
    Running,
    NotStarted,
    Gone,
}
