using System.Globalization;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using KubeWeb.Agent.Streams;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// An exec or attach session on containerd's streaming server, over a WebSocket with the
/// <c>v4.channel.k8s.io</c> protocol: binary frames whose first byte is the channel (0 stdin,
/// 1 stdout, 2 stderr, 3 the status JSON, 4 a resize). The streams are pipes pumped to and from the
/// socket; <see cref="Exited"/> completes from the status once the socket closed.
/// </summary>
internal sealed class CriWebSocketProcess : IContainerProcess
{
    private readonly ClientWebSocket _ws;
    private readonly Pipe? _stdin;
    private readonly Pipe _stdout = new();
    private readonly Pipe? _stderr;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _stdinPump;

    private CriWebSocketProcess(ClientWebSocket ws, PodExecRequest request)
    {
        _ws = ws;
        _stdin = request.Stdin ? new Pipe() : null;
        _stderr = request.Stderr && !request.Tty ? new Pipe() : null;
        Stdin = _stdin?.Writer.AsStream();
        Stdout = request.Stdout || request.Tty ? _stdout.Reader.AsStream() : null;
        Stderr = _stderr?.Reader.AsStream();
        _stdinPump = _stdin is null ? Task.CompletedTask : PumpStdinAsync(_stdin.Reader, _cts.Token);
        Exited = ReceiveAsync(_cts.Token);
    }

    public static async Task<IContainerProcess> ConnectAsync(string url, PodExecRequest request, CancellationToken ct)
    {
        var ws = await ContainerdRuntime.ConnectWebSocketAsync(url, ct);
        return new CriWebSocketProcess(ws, request);
    }

    public Stream? Stdin { get; }

    public Stream? Stdout { get; }

    public Stream? Stderr { get; }

    public Task<int> Exited { get; }

    public void Resize(int width, int height)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, int> { ["Width"] = width, ["Height"] = height }, KubeWeb.Core.Agents.AgentHubJsonContext.Default.DictionaryStringInt32);
        _ = SendAsync(4, json, _cts.Token);
    }

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsMemory(1));
        await _send.WaitAsync(ct);
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                await _ws.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task PumpStdinAsync(PipeReader reader, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct);
                foreach (var segment in result.Buffer)
                {
                    for (var i = 0; i < segment.Length; i += 32 * 1024)
                    {
                        await SendAsync(0, segment.Slice(i, Math.Min(32 * 1024, segment.Length - i)), ct);
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            // v4 has no per-channel close: closing our side of the socket is the only end-of-stdin signal, and
            // containerd's server then closes the whole connection (output and status are lost). Sessions
            // with stdin therefore go over SPDY (CriSpdyProcess); this is only a fallback.
            await _send.WaitAsync(ct);
            try
            {
                if (_ws.State == WebSocketState.Open)
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
            }
            finally
            {
                _send.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task<int> ReceiveAsync(CancellationToken ct)
    {
        await Task.Yield();
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        int? code = null;
        try
        {
            while (true)
            {
                var r = await _ws.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }

                var frame = message.ToArray();
                message.SetLength(0);
                if (frame.Length == 0)
                {
                    continue;
                }

                var data = frame.AsMemory(1);
                switch (frame[0])
                {
                    case 1:
                        if (data.Length > 0)
                        {
                            await _stdout.Writer.WriteAsync(data, ct);
                        }

                        break;
                    case 2:
                        if (data.Length > 0)
                        {
                            await (_stderr?.Writer ?? _stdout.Writer).WriteAsync(data, ct);
                        }

                        break;
                    case 3:
                        code = ParseStatus(data.Span);
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            code ??= 137;
        }
        finally
        {
            await _stdout.Writer.CompleteAsync();
            if (_stderr is not null)
            {
                await _stderr.Writer.CompleteAsync();
            }

            if (_stdin is not null)
            {
                // A writer that is still sending gets its writes dropped, not an error.
                await _stdin.Reader.CompleteAsync();
            }
        }

        return code ?? 0;
    }

    /// <summary>A metav1.Status: Success is 0; NonZeroExitCode carries the code in details.causes.</summary>
    internal static int ParseStatus(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.TryGetProperty("status", out var s) && s.GetString() == "Success")
            {
                return 0;
            }

            if (root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes))
            {
                foreach (var cause in causes.EnumerateArray())
                {
                    if (cause.TryGetProperty("reason", out var reason) && reason.GetString() == "ExitCode"
                        && cause.TryGetProperty("message", out var m)
                        && int.TryParse(m.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
                    {
                        return code;
                    }
                }
            }

            return 1;
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(json).Length > 0 ? 1 : 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await Exited;
            await _stdinPump;
        }
        catch (OperationCanceledException)
        {
        }

        _ws.Abort();
        _ws.Dispose();
        _cts.Dispose();
        _send.Dispose();
    }
}
