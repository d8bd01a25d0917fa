using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using k8s;

namespace KubeWeb.Web.Exec;

/// <summary>
/// One interactive exec (stdin + stdout + tty) through the API's <c>pods/exec</c> WebSocket
/// (v5.channel.k8s.io, falling back to v4 when the server offers only that) as the signed-in
/// user. Output is handed to <see cref="RunAsync"/>'s callback as it arrives; keystrokes and
/// terminal sizes are queued and written in order by one writer. Disposing closes the socket.
/// </summary>
public sealed class ExecSession : IAsyncDisposable
{
    private readonly StreamDemuxer _demuxer;
    private readonly Channel<(ChannelIndex Channel, byte[] Data)> _outgoing = Channel.CreateUnbounded<(ChannelIndex, byte[])>(new() { SingleReader = true });

    private ExecSession(StreamDemuxer demuxer) => _demuxer = demuxer;

    public static async Task<ExecSession> OpenAsync(Kubernetes client, string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken ct)
    {
        var socket = await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container, stderr: false, stdin: true, stdout: true, tty: true,
            WebSocketProtocol.V5BinaryWebsocketProtocol, cancellationToken: ct);
        var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true,
            supportsClose: socket.SubProtocol == WebSocketProtocol.V5BinaryWebsocketProtocol);
        demuxer.Start();
        return new ExecSession(demuxer);
    }

    /// <summary>Relays until the process ends (or <paramref name="ct"/> fires); returns how it ended.</summary>
    public async Task<ExecExit> RunAsync(Func<byte[], Task> output, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var status = ReadAllAsync(_demuxer.GetStream(ChannelIndex.Error, null), stop.Token);
        var writer = WriteAsync(stop.Token);
        var stdout = _demuxer.GetStream(ChannelIndex.StdOut, null);
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stdout.ReadAsync(buffer, stop.Token)) > 0)
            {
                await output(buffer[..read]);
            }
        }
        finally
        {
            _outgoing.Writer.TryComplete();
        }

        // The status arrives just before the server closes; a socket closed without one is reported as such.
        var json = await status.WaitAsync(TimeSpan.FromSeconds(5), ct).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "", TaskScheduler.Default);
        await stop.CancelAsync();
        try
        {
            await writer;
        }
        catch (OperationCanceledException)
        {
        }

        return ExecExit.FromStatus(json);
    }

    /// <summary>Keystrokes (xterm.js's onData) for the process's stdin.</summary>
    public void Input(string data) => _outgoing.Writer.TryWrite((ChannelIndex.StdIn, Encoding.UTF8.GetBytes(data)));

    /// <summary>A terminal size, sent on the resize channel (4) as the kubelet reads it.</summary>
    public void Resize(int columns, int rows) =>
        _outgoing.Writer.TryWrite((ChannelIndex.Resize, JsonSerializer.SerializeToUtf8Bytes(new { Width = columns, Height = rows })));

    private async Task WriteAsync(CancellationToken ct)
    {
        await foreach (var (channel, data) in _outgoing.Reader.ReadAllAsync(ct))
        {
            await _demuxer.Write(channel, data, 0, data.Length, ct);
        }
    }

    private static async Task<string> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    public ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        _demuxer.Dispose();
        return ValueTask.CompletedTask;
    }
}
