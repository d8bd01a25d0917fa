using System.Net.WebSockets;
using System.Text;
using KubeWeb.Agent.Streams;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// One port-forward connection on containerd's streaming server (WebSocket, <c>?port=N</c>): the
/// server first sends <c>[0,lo,hi]</c> and <c>[1,lo,hi]</c>, then channel 0 carries data both ways and
/// channel 1 an error text. The caller gets one end of a <see cref="DuplexPipeStream"/> pair (so
/// <see cref="HalfClose.CloseWrite"/> works); the other end is pumped to and from the socket.
/// </summary>
internal static class CriPortForward
{
    public static async Task<Stream> ConnectAsync(string url, int port, Action<string> onError, CancellationToken ct)
    {
        var sep = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var ws = await ContainerdRuntime.ConnectWebSocketAsync($"{url}{sep}port={port}", ct);
        var (caller, pump) = DuplexPipeStream.Pair();
        _ = RunAsync(ws, pump, onError);
        return caller;
    }

    private static async Task RunAsync(ClientWebSocket ws, DuplexPipeStream pump, Action<string> onError)
    {
        using var cts = new CancellationTokenSource();
        var send = SendAsync(ws, pump, cts.Token);
        var receive = ReceiveAsync(ws, pump, onError, cts.Token);
        await receive;
        await cts.CancelAsync();
        try
        {
            await send;
        }
        catch (OperationCanceledException)
        {
        }

        ws.Abort();
        ws.Dispose();
        await pump.DisposeAsync();
    }

    private static async Task SendAsync(ClientWebSocket ws, DuplexPipeStream pump, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024 + 1];
        try
        {
            while (true)
            {
                var n = await pump.ReadAsync(buffer.AsMemory(1), ct);
                if (n == 0)
                {
                    break;
                }

                buffer[0] = 0;
                await ws.SendAsync(buffer.AsMemory(0, n + 1), WebSocketMessageType.Binary, true, ct);
            }

            // No half-close in the channel protocol: the client's end closes the connection.
            if (ws.State == WebSocketState.Open)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
        }
    }

    private static async Task ReceiveAsync(ClientWebSocket ws, DuplexPipeStream pump, Action<string> onError, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var seen = new bool[2];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, ct);
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
                if (frame.Length == 0 || frame[0] > 1)
                {
                    continue;
                }

                var channel = frame[0];
                var data = frame.AsMemory(1);
                if (!seen[channel])
                {
                    // The first frame on each channel is the port number.
                    seen[channel] = true;
                    data = data.Length >= 2 ? data[2..] : Memory<byte>.Empty;
                }

                if (data.Length == 0)
                {
                    continue;
                }

                if (channel == 0)
                {
                    await pump.WriteAsync(data, ct);
                }
                else
                {
                    // An error (e.g. connection refused): nothing more will come; the client sees its connection close.
                    onError(Encoding.UTF8.GetString(data.Span));
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException or OperationCanceledException)
        {
        }
        finally
        {
            pump.CompleteWrites();
        }
    }
}
