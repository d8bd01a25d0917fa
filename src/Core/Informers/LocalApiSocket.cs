using System.Net;
using System.Text;
using k8s;
using KubeWeb.Core.Net;

namespace KubeWeb.Core.Informers;

/// <summary>
/// The API server's Unix socket for clients in its own process (the controller manager, the
/// scheduler): cleartext HTTP/1.1 instead of loopback TLS, same handlers, same bearer-token
/// authentication and authorization. HTTP/1.1, not HTTP/2: every watch and every request in flight
/// gets a connection of its own (as the informers' watches had over TLS), so the watch streams of
/// the whole controller manager do not share one connection's frames and flow control with the
/// scheduler's bindings (over one HTTP/2 connection the scheduler bound fewer pods per second than
/// over TLS, where the informers' watches were HTTP/1.1). The socket sits in a folder only
/// the server's user may enter (0700), so only that user (root, for a node) can connect at all.
/// Out-of-process clients (kubectl, agents, <c>kubeweb controllers</c>) keep using HTTPS.
/// </summary>
public static class LocalApiSocket
{
    /// <summary>sockaddr_un.sun_path holds 108 bytes on Linux, the terminating NUL included.</summary>
    private const int MaxPathBytes = 107;

    /// <summary>The socket's path under the data dir, or null when that path is too long for a Unix socket.</summary>
    public static string? PathFor(string dataDir)
    {
        var path = Path.Combine(Path.GetFullPath(dataDir), "run", "api.sock");
        return OperatingSystem.IsWindows() || Encoding.UTF8.GetByteCount(path) > MaxPathBytes ? null : path;
    }

    /// <summary>Creates the socket's folder (owner-only) and removes a socket file a previous run left behind.</summary>
    public static void Prepare(string socketPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = Path.GetDirectoryName(socketPath)!;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // CreateDirectory keeps the mode of a folder that already exists.
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Delete(socketPath);
    }

    /// <summary>
    /// Points <paramref name="config"/> at the socket: requests go to <c>http://localhost</c> but
    /// every connection is opened on <paramref name="socketPath"/>. Pass <see cref="Handlers"/> to
    /// the <see cref="Kubernetes"/> constructor as well, so every request is sent as HTTP/1.1.
    /// </summary>
    public static KubernetesClientConfiguration Configure(KubernetesClientConfiguration config, string socketPath)
    {
        config.Host = "http://localhost";
        config.SkipTlsVerify = false;
        config.SslCaCerts = null;
        var previous = config.FirstMessageHandlerSetup;
        config.FirstMessageHandlerSetup = handler =>
        {
            previous?.Invoke(handler);
            var sockets = handler as SocketsHttpHandler
                ?? throw new InvalidOperationException($"The Kubernetes client's first handler is {handler.GetType().Name}, not SocketsHttpHandler.");
            sockets.ConnectCallback = (_, ct) => UnixSockets.ConnectAsync(socketPath, ct);
        };
        return config;
    }

    /// <summary>The handlers that make every request on the socket HTTP/1.1 (the client asks for HTTP/2 by default).</summary>
    public static DelegatingHandler[] Handlers() => [new Http11Handler()];

    /// <summary>A client on the socket for the given bearer token; the caller owns and disposes it.</summary>
    public static Kubernetes CreateClient(string socketPath, string token) =>
        new(Configure(new KubernetesClientConfiguration { AccessToken = token }, socketPath), Handlers());

    private sealed class Http11Handler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Version = HttpVersion.Version11;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
