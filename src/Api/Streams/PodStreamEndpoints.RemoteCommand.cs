using System.Net.WebSockets;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Streams.Spdy;
using KubeWeb.Api.Streams.WebSockets;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Streams;

internal sealed partial class PodStreamEndpoints
{
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(30);

    /// <summary>GET (WebSocket) or POST (SPDY) pods/{name}/exec and pods/{name}/attach.</summary>
    public async Task RemoteCommandAsync(HttpContext ctx, V1Pod pod, bool attach)
    {
        var q = ctx.Request.Query;
        var command = q["command"].Where(c => c is not null).Select(c => c!).ToList();
        var exec = new PodExecRequest(command, IsTrue(q["stdin"]), IsTrue(q["stdout"]), IsTrue(q["stderr"]), IsTrue(q["tty"]));
        if (!attach && command.Count == 0)
        {
            throw ApiError.BadRequest("you must specify at least one command for the container");
        }

        if (!exec.Stdin && !exec.Stdout && !exec.Stderr)
        {
            throw ApiError.BadRequest("you must specify at least one of stdin, stdout, stderr");
        }

        var container = ResolveContainer(pod, q["container"]);
        RequireNotCompleted(pod, attach ? "attach to" : "exec into");
        var webSocket = ConnectionUpgrade.IsWebSocket(ctx.Request);
        string? protocol;
        if (webSocket)
        {
            protocol = ConnectionUpgrade.OfferedProtocols(ctx.Request).FirstOrDefault(p => ChannelProtocol.Supported.Contains(p))
                ?? throw ApiError.BadRequest($"unable to upgrade: the client offered none of the supported protocols [{string.Join(' ', ChannelProtocol.Supported)}]");
        }
        else if (ConnectionUpgrade.IsSpdy(ctx.Request))
        {
            protocol = ConnectionUpgrade.OfferedProtocols(ctx.Request, "X-Stream-Protocol-Version").Contains(ChannelProtocol.V4)
                ? ChannelProtocol.V4
                : throw ApiError.BadRequest($"unable to upgrade: the client offered no supported stream protocol [{ChannelProtocol.V4}]");
        }
        else
        {
            throw ApiError.BadRequest("Upgrade request required");
        }

        var node = RequireNode(pod);
        var kind = attach ? PodStreamKind.Attach : PodStreamKind.Exec;
        var stream = await broker.OpenAsync(node, (id, window) => Request(id, window, kind, pod, container) with { Exec = exec }, ctx.RequestAborted);
        try
        {
            if (webSocket)
            {
                using var socket = await ConnectionUpgrade.AcceptWebSocketAsync(ctx, protocol);
                await RunWebSocketAsync(socket, stream, exec, protocol == ChannelProtocol.V5, ctx.RequestAborted);
            }
            else
            {
                await using var session = new SpdySession(await ConnectionUpgrade.AcceptSpdyAsync(ctx, protocol));
                await RunSpdyAsync(session, stream, exec, ctx.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            LogStreamEnded(pod.Metadata.Name, e.Message);
        }
        finally
        {
            stream.Close();
        }
    }

    private static async Task RunWebSocketAsync(WebSocket socket, AgentStream stream, PodExecRequest exec, bool v5, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = ReadWebSocketAsync(socket, stream, v5, cts.Token);
        byte[]? status = null;
        try
        {
            while (await stream.ReadAsync(cts.Token) is { } frame)
            {
                switch (frame.Type)
                {
                    case StreamFrameType.Data when frame.Data is { } data:
                        await socket.SendAsync(ChannelProtocol.Encode(frame.Channel, data), WebSocketMessageType.Binary, true, cts.Token);
                        break;
                    case StreamFrameType.Exit:
                        status = ExecStatus.Exited(frame.Value, exec.Command);
                        break;
                    case StreamFrameType.Error:
                        status = ExecStatus.Failed(frame.Text ?? "the stream failed");
                        break;
                }
            }

            status ??= ExecStatus.Failed("the stream ended without an exit status");
            await socket.SendAsync(ChannelProtocol.Encode(ChannelProtocol.Error, status), WebSocketMessageType.Binary, true, cts.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            // Let the client answer the close before the connection goes.
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(2), cts.Token));
        }
        finally
        {
            await cts.CancelAsync();
            await Quietly(reading);
        }
    }

    /// <summary>Client to agent: stdin (channel 0), resize (4), the v5 close signal; a close frame ends input.</summary>
    private static async Task ReadWebSocketAsync(WebSocket socket, AgentStream stream, bool v5, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            if (!ChannelProtocol.TryDecode(bytes, out var channel, out var data))
            {
                continue;
            }

            switch (channel)
            {
                case AgentStreamProtocol.Stdin when data.Length > 0:
                    await stream.SendDataAsync(AgentStreamProtocol.Stdin, data, ct);
                    break;
                case ChannelProtocol.Resize when ChannelProtocol.ParseResize(data.Span) is { } size:
                    stream.Send(new StreamFrame(StreamFrameType.Resize, Width: size.Width, Height: size.Height));
                    break;
                case ChannelProtocol.CloseSignal when v5 && data.Length > 0:
                    stream.Send(new StreamFrame(StreamFrameType.Close, data.Span[0]));
                    break;
            }
        }
    }

    private static async Task RunSpdyAsync(SpdySession session, AgentStream stream, PodExecRequest exec, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = session.RunAsync(cts.Token);
        var expected = new HashSet<string> { "error" };
        if (exec.Stdin)
        {
            expected.Add("stdin");
        }

        if (exec.Stdout)
        {
            expected.Add("stdout");
        }

        if (exec.Stderr && !exec.Tty)
        {
            expected.Add("stderr");
        }

        if (exec.Tty)
        {
            expected.Add("resize");
        }

        var streams = new Dictionary<string, SpdyStream>(StringComparer.Ordinal);
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
        {
            wait.CancelAfter(StreamWait);
            while (!expected.IsSubsetOf(streams.Keys) && await session.Accepted.WaitToReadAsync(wait.Token))
            {
                while (session.Accepted.TryRead(out var s))
                {
                    streams[s.Header("streamtype") ?? ""] = s;
                }
            }
        }

        if (!expected.IsSubsetOf(streams.Keys))
        {
            return;
        }

        var inputs = new List<Task>();
        if (streams.TryGetValue("stdin", out var stdin))
        {
            inputs.Add(PumpSpdyStdinAsync(stdin, stream, cts.Token));
        }

        if (streams.TryGetValue("resize", out var resize))
        {
            inputs.Add(PumpSpdyResizeAsync(resize, stream, cts.Token));
        }

        byte[]? status = null;
        try
        {
            while (await stream.ReadAsync(cts.Token) is { } frame)
            {
                switch (frame.Type)
                {
                    case StreamFrameType.Data when frame.Data is { } data
                        && streams.TryGetValue(frame.Channel == AgentStreamProtocol.Stderr ? "stderr" : "stdout", out var target):
                        await target.WriteAsync(data, cts.Token);
                        break;
                    case StreamFrameType.Exit:
                        status = ExecStatus.Exited(frame.Value, exec.Command);
                        break;
                    case StreamFrameType.Error:
                        status = ExecStatus.Failed(frame.Text ?? "the stream failed");
                        break;
                }
            }

            status ??= ExecStatus.Failed("the stream ended without an exit status");
            var error = streams["error"];
            await error.WriteAsync(status, cts.Token);
            foreach (var s in streams.Values)
            {
                await s.CloseWriteAsync(cts.Token);
            }

            // The client closes the connection once it has read the status.
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(2), cts.Token));
        }
        finally
        {
            await cts.CancelAsync();
            await Quietly(running);
            foreach (var t in inputs)
            {
                await Quietly(t);
            }
        }
    }

    private static async Task PumpSpdyStdinAsync(SpdyStream stdin, AgentStream stream, CancellationToken ct)
    {
        await foreach (var data in stdin.Data.ReadAllAsync(ct))
        {
            await stream.SendDataAsync(AgentStreamProtocol.Stdin, data, ct);
        }

        if (!stdin.WasReset)
        {
            stream.Send(new StreamFrame(StreamFrameType.Close, AgentStreamProtocol.Stdin));
        }
    }

    private static async Task PumpSpdyResizeAsync(SpdyStream resize, AgentStream stream, CancellationToken ct)
    {
        var pending = new List<byte>();
        await foreach (var data in resize.Data.ReadAllAsync(ct))
        {
            pending.AddRange(data);
            foreach (var (width, height) in ChannelProtocol.ParseResizes(pending))
            {
                stream.Send(new StreamFrame(StreamFrameType.Resize, Width: width, Height: height));
            }
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // The connection or the stream is going away; its end is handled by the caller.
        }
    }
}
