using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Streams;

/// <summary>The pod and container a stream is for; <see cref="Container"/> is already defaulted by the server.</summary>
public sealed record PodStreamTarget(string Namespace, string Name, string Uid, string? Container);

/// <summary>
/// What the agent needs from a runtime to serve <c>pods/log</c>, <c>exec</c>, <c>attach</c> and
/// <c>portforward</c>. Each method resolves the pod and container first and throws
/// <see cref="PodStreamException"/> when it cannot (the client then gets an HTTP error instead of a
/// stream); what it returns is running. The caller owns what is returned and disposes it; cancelling
/// <c>ct</c> only aborts the opening.
/// </summary>
public interface IPodStreams
{
    /// <summary>A container's log, read per <paramref name="options"/> (see <see cref="Logs.CriLogReader"/>).</summary>
    Task<IPodLogReader> OpenLogsAsync(PodStreamTarget target, PodLogRequest options, CancellationToken ct);

    /// <summary>Starts <see cref="PodExecRequest.Command"/> in the container.</summary>
    Task<IContainerProcess> ExecAsync(PodStreamTarget target, PodExecRequest request, CancellationToken ct);

    /// <summary>Attaches to the container's main process.</summary>
    Task<IContainerProcess> AttachAsync(PodStreamTarget target, PodExecRequest request, CancellationToken ct);

    /// <summary>
    /// A connection to <paramref name="port"/> inside the pod's network namespace. Reads return what the
    /// pod sends (0 at its end); <see cref="HalfClose.CloseWrite"/> signals the client's end.
    /// </summary>
    Task<Stream> PortForwardAsync(PodStreamTarget target, int port, CancellationToken ct);
}

/// <summary>A log that is ready to be copied out; following stops when the container stops or <c>ct</c> is cancelled.</summary>
public interface IPodLogReader
{
    Task CopyToAsync(Stream output, CancellationToken ct);
}

/// <summary>
/// A process in a container, as exec or attach sees it. Streams are null when not requested:
/// <see cref="Stdin"/> is written (disposing it is EOF), <see cref="Stdout"/> and <see cref="Stderr"/>
/// are read to their end. With a TTY, stderr is merged into stdout and <see cref="Stderr"/> is null.
/// Disposing kills nothing that outlives an attach; it releases the streams (and for exec, cancels the
/// process when it still runs).
/// </summary>
public interface IContainerProcess : IAsyncDisposable
{
    Stream? Stdin { get; }

    Stream? Stdout { get; }

    Stream? Stderr { get; }

    void Resize(int width, int height);

    /// <summary>The exit code, once the process ended and its output was closed.</summary>
    Task<int> Exited { get; }
}

/// <summary>A stream failure that reaches the client as an HTTP status with this code (400, 404 or 500).</summary>
public sealed class PodStreamException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>Half-closing the write side of a port-forward connection, for the stream types that can.</summary>
public static class HalfClose
{
    public static void CloseWrite(Stream stream)
    {
        switch (stream)
        {
            case System.Net.Sockets.NetworkStream n:
                n.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                break;
            case DuplexPipeStream d:
                d.CompleteWrites();
                break;
        }
    }
}
