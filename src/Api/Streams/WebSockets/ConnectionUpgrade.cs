using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KubeWeb.Api.Streams.WebSockets;

/// <summary>
/// HTTP/1.1 upgrades done by hand on Kestrel's upgrade feature, so the streaming subresources need no
/// WebSocket middleware in the pipeline: the WebSocket handshake (RFC 6455) and a raw SPDY switch.
/// </summary>
internal static class ConnectionUpgrade
{
    public static bool IsWebSocket(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    public static bool IsSpdy(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase);

    /// <summary>The subprotocols the client offers, in its order of preference.</summary>
    public static IReadOnlyList<string> OfferedProtocols(HttpRequest request, string header = "Sec-WebSocket-Protocol") =>
        [.. request.Headers[header].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    public static async Task<WebSocket> AcceptWebSocketAsync(HttpContext ctx, string protocol)
    {
        var upgrade = RequireUpgrade(ctx);
        var key = ctx.Request.Headers["Sec-WebSocket-Key"].ToString();
        // RFC 6455 fixes SHA-1 for the handshake; it protects nothing.
#pragma warning disable CA5350
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        ctx.Response.Headers.Connection = "Upgrade";
        ctx.Response.Headers.Upgrade = "websocket";
        ctx.Response.Headers.SecWebSocketAccept = accept;
        ctx.Response.Headers.SecWebSocketProtocol = protocol;
        var stream = await upgrade.UpgradeAsync();
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            // The header above carries the protocol; this option only accepts token characters, and SPDY/3.1+… has a '/'.
            IsServer = true,
            KeepAliveInterval = TimeSpan.FromSeconds(30),
        });
    }

    public static async Task<Stream> AcceptSpdyAsync(HttpContext ctx, string streamProtocol)
    {
        var upgrade = RequireUpgrade(ctx);
        ctx.Response.Headers.Connection = "Upgrade";
        ctx.Response.Headers.Upgrade = "SPDY/3.1";
        ctx.Response.Headers["X-Stream-Protocol-Version"] = streamProtocol;
        return await upgrade.UpgradeAsync();
    }

    private static IHttpUpgradeFeature RequireUpgrade(HttpContext ctx) =>
        ctx.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            ? upgrade
            : throw Http.ApiError.BadRequest("Upgrade request required (HTTP/1.1 with Connection: Upgrade)");
}
