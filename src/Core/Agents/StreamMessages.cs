namespace KubeWeb.Core.Agents;

public enum PodStreamKind
{
    /// <summary><c>pods/log</c>: output only, on channel 1.</summary>
    Logs = 0,

    /// <summary><c>pods/exec</c>: stdin 0, stdout 1, stderr 2, resize, exit status.</summary>
    Exec = 1,

    /// <summary><c>pods/attach</c>: as exec, to the container's main process.</summary>
    Attach = 2,

    /// <summary><c>pods/portforward</c>: one TCP connection to <see cref="PodStreamRequest.Port"/>; data on channel 0 both ways.</summary>
    PortForward = 3,

    /// <summary>
    /// Node-level, not a pod's: an image archive uploaded to the node's runtime (<see cref="PodStreamRequest.Image"/>).
    /// The archive is data on channel 0, ended by Close; the agent answers with the import's output on
    /// channel 1 and an Exit (0 when imported). Namespace, name and uid are empty.
    /// </summary>
    ImageImport = 4,
}

/// <summary>
/// What the server asks an agent to open (<see cref="AgentStreamProtocol.OpenStream"/>). The pod is
/// named by uid (the agent checks it runs it); <paramref name="Container"/> is resolved by the server
/// (the default container is already chosen). <paramref name="Window"/> is the flow-control window in
/// bytes each side starts with for the other's data.
/// </summary>
public sealed record PodStreamRequest(
    string StreamId,
    PodStreamKind Kind,
    string Namespace,
    string Name,
    string Uid,
    string? Container,
    int Window,
    PodLogRequest? Logs = null,
    PodExecRequest? Exec = null,
    int Port = 0,
    ImageImportRequest? Image = null);

/// <summary>The <c>pods/log</c> query, as the API received it (already validated).</summary>
public sealed record PodLogRequest(
    bool Follow = false,
    bool Previous = false,
    long? TailLines = null,
    long? SinceSeconds = null,
    DateTimeOffset? SinceTime = null,
    bool Timestamps = false,
    long? LimitBytes = null);

/// <summary>The <c>pods/exec</c> or <c>pods/attach</c> query: which standard streams the client wants.</summary>
public sealed record PodExecRequest(IReadOnlyList<string> Command, bool Stdin, bool Stdout, bool Stderr, bool Tty);

public enum StreamFrameType
{
    /// <summary>Bytes on <see cref="StreamFrame.Channel"/>: 0 stdin (server to agent), 1 stdout, 2 stderr (agent to server); 0 both ways for port-forward.</summary>
    Data = 0,

    /// <summary>End of <see cref="StreamFrame.Channel"/> (stdin EOF, or a port-forward half-close).</summary>
    Close = 1,

    /// <summary>A terminal size (server to agent): <see cref="StreamFrame.Width"/> x <see cref="StreamFrame.Height"/>.</summary>
    Resize = 2,

    /// <summary>
    /// Flow control: the sender consumed <see cref="StreamFrame.Value"/> more bytes of the other side's
    /// data, which may send that much more. Credits travel in the opposite direction to the data they grant.
    /// </summary>
    Credit = 3,

    /// <summary>
    /// Agent to server, first frame of every stream: the agent found the pod and container and the
    /// stream runs. After it the server commits its HTTP response (200 or the upgrade).
    /// </summary>
    Ready = 4,

    /// <summary>
    /// Agent to server: the stream failed. <see cref="StreamFrame.Value"/> is an HTTP-like code (400 a bad
    /// request such as an unknown container, 404 a pod the node does not run, 500 anything else),
    /// <see cref="StreamFrame.Text"/> the message. Last frame before the stream ends.
    /// </summary>
    Error = 5,

    /// <summary>Agent to server, exec and attach: the process ended with exit code <see cref="StreamFrame.Value"/>.</summary>
    Exit = 6,
}

/// <summary>
/// One unit of a pod stream on the agent connection. Data bytes count against the receiver's window:
/// a side never has more than the granted window of unacknowledged data in flight, so neither the
/// server nor the agent buffers more than one window per stream however slow the far end reads.
/// </summary>
public sealed record StreamFrame(
    StreamFrameType Type,
    int Channel = 0,
    byte[]? Data = null,
    int Value = 0,
    string? Text = null,
    int Width = 0,
    int Height = 0);

/// <summary>
/// Pod streams (logs, exec, attach, port-forward) between server and agent, over the agent's own hub
/// connection so the server never dials a node.
/// </summary>
/// <remarks>
/// The server sends <see cref="OpenStream"/> (a <see cref="PodStreamRequest"/>) to the node's connection.
/// The agent then calls <see cref="StreamInput"/> (server-to-client stream: stdin, resize, close and
/// credit frames) and sends <see cref="StreamOutput"/> (client-to-server stream: Ready or Error first,
/// then data, exit, credit). Either side ends the stream: the agent by completing its output (after an
/// Exit or Error, or when the port-forward connection closed), the server by sending
/// <see cref="CloseStream"/> (the client went away), which cancels the agent's work. A stream whose
/// agent did not attach within the server's timeout fails; a lost connection fails all its streams.
/// </remarks>
public static class AgentStreamProtocol
{
    /// <summary>Server to agent: <c>OpenStream(PodStreamRequest)</c>.</summary>
    public const string OpenStream = nameof(OpenStream);

    /// <summary>Server to agent: <c>CloseStream(string streamId)</c>: cancel it; no more input will come.</summary>
    public const string CloseStream = nameof(CloseStream);

    /// <summary>Agent to server: <c>IAsyncEnumerable&lt;StreamFrame&gt; StreamInput(string streamId)</c>.</summary>
    public const string StreamInput = nameof(StreamInput);

    /// <summary>Agent to server: <c>StreamOutput(string streamId, IAsyncEnumerable&lt;StreamFrame&gt;)</c>.</summary>
    public const string StreamOutput = nameof(StreamOutput);

    /// <summary>Channel numbers, as the Kubernetes remote-command protocol numbers them.</summary>
    public const int Stdin = 0;

    public const int Stdout = 1;

    public const int Stderr = 2;

    /// <summary>The default flow-control window: 256 KiB per direction per stream.</summary>
    public const int DefaultWindow = 256 * 1024;
}
