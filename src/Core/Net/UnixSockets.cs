using System.Net.Sockets;

namespace KubeWeb.Core.Net;

/// <summary>Connections over Unix domain sockets for HTTP and gRPC clients (<c>SocketsHttpHandler.ConnectCallback</c>).</summary>
public static class UnixSockets
{
    /// <summary>Opens a stream on the socket at <paramref name="path"/>; the stream owns the socket.</summary>
    public static async ValueTask<Stream> ConnectAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
