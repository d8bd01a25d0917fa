using System.Text;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Streams.Spdy;
using KubeWeb.Api.Streams.WebSockets;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.Http;

namespace KubeWeb.Api.Streams;

internal sealed partial class PodStreamEndpoints
{
    private const string PortForwardProtocol = "portforward.k8s.io";
    private const string TunnelledPortForwardProtocol = "SPDY/3.1+portforward.k8s.io";

    /// <summary>
    /// GET (WebSocket tunnel) or POST (raw SPDY) pods/{name}/portforward. Each local connection of the
    /// client is a pair of SPDY streams sharing a <c>requestid</c> (<c>error</c> and <c>data</c>, with the
    /// <c>port</c>); each pair becomes one agent stream.
    /// </summary>
    public async Task PortForwardAsync(HttpContext ctx, V1Pod pod)
    {
        if (pod.Status?.Phase != "Running")
        {
            throw ApiError.BadRequest($"unable to forward ports: pod {pod.Metadata.Name} is not running (phase {pod.Status?.Phase ?? "unknown"})");
        }

        var node = RequireNode(pod);
        Stream transport;
        if (ConnectionUpgrade.IsWebSocket(ctx.Request))
        {
            if (!ConnectionUpgrade.OfferedProtocols(ctx.Request).Contains(TunnelledPortForwardProtocol))
            {
                throw ApiError.BadRequest($"unable to upgrade: the client did not offer {TunnelledPortForwardProtocol}");
            }

            transport = new WebSocketByteStream(await ConnectionUpgrade.AcceptWebSocketAsync(ctx, TunnelledPortForwardProtocol));
        }
        else if (ConnectionUpgrade.IsSpdy(ctx.Request))
        {
            if (!ConnectionUpgrade.OfferedProtocols(ctx.Request, "X-Stream-Protocol-Version").Contains(PortForwardProtocol))
            {
                throw ApiError.BadRequest($"unable to upgrade: the client did not offer {PortForwardProtocol}");
            }

            transport = await ConnectionUpgrade.AcceptSpdyAsync(ctx, PortForwardProtocol);
        }
        else
        {
            throw ApiError.BadRequest("Upgrade request required");
        }

        LogPortForward(pod.Metadata.Name, transport is WebSocketByteStream ? "SPDY in WebSocket" : "SPDY");
        await using var session = new SpdySession(transport);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        var running = session.RunAsync(cts.Token);
        var pairs = new Dictionary<string, (SpdyStream? Error, SpdyStream? Data)>(StringComparer.Ordinal);
        var forwards = new List<Task>();
        try
        {
            await foreach (var s in session.Accepted.ReadAllAsync(cts.Token))
            {
                var requestId = s.Header("requestid") ?? "";
                pairs.TryGetValue(requestId, out var pair);
                pair = s.Header("streamtype") == "error" ? pair with { Error = s } : pair with { Data = s };
                if (pair is { Error: { } error, Data: { } data })
                {
                    pairs.Remove(requestId);
                    forwards.RemoveAll(t => t.IsCompleted);
                    forwards.Add(ForwardAsync(node, pod, error, data, cts.Token));
                }
                else
                {
                    pairs[requestId] = pair;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await cts.CancelAsync();
            await Quietly(running);
            foreach (var f in forwards)
            {
                await Quietly(f);
            }
        }
    }

    private async Task ForwardAsync(string node, V1Pod pod, SpdyStream error, SpdyStream data, CancellationToken ct)
    {
        if (!int.TryParse(data.Header("port"), out var port) || port is < 1 or > 65535)
        {
            await FailAsync($"invalid port \"{data.Header("port")}\"");
            return;
        }

        AgentStream stream;
        try
        {
            stream = await broker.OpenAsync(node, (id, window) => Request(id, window, PodStreamKind.PortForward, pod, null) with { Port = port }, ct);
        }
        catch (ApiError e)
        {
            await FailAsync(e.Message);
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var upload = UploadAsync(data, stream, cts.Token);
        try
        {
            while (await stream.ReadAsync(cts.Token) is { } frame)
            {
                switch (frame.Type)
                {
                    case StreamFrameType.Data when frame.Data is { } bytes:
                        await data.WriteAsync(bytes, cts.Token);
                        break;
                    case StreamFrameType.Close:
                        await data.CloseWriteAsync(cts.Token);
                        break;
                    case StreamFrameType.Error:
                        await error.WriteAsync(Encoding.UTF8.GetBytes(frame.Text ?? "the stream failed"), cts.Token);
                        break;
                }
            }

            await data.CloseWriteAsync(cts.Token);
            await error.CloseWriteAsync(cts.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client connection or the session ended.
        }
        finally
        {
            await cts.CancelAsync();
            stream.Close();
            await Quietly(upload);
        }

        async Task FailAsync(string message)
        {
            try
            {
                await error.WriteAsync(Encoding.UTF8.GetBytes(message), ct);
                await error.CloseWriteAsync(ct);
                await data.CloseWriteAsync(ct);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Client to pod: data until the client's FIN (a half-close) or reset (closes the agent stream).</summary>
    private static async Task UploadAsync(SpdyStream data, AgentStream stream, CancellationToken ct)
    {
        await foreach (var bytes in data.Data.ReadAllAsync(ct))
        {
            await stream.SendDataAsync(0, bytes, ct);
        }

        if (data.WasReset)
        {
            stream.Close();
        }
        else
        {
            stream.Send(new StreamFrame(StreamFrameType.Close, 0));
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Microsoft.Extensions.Logging.LogLevel.Debug, "Port-forward to pod {Pod} over {Transport}")]
    private partial void LogPortForward(string pod, string transport);
}
