using Grpc.Core;
using Grpc.Net.Client;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Core.Net;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// The CRI (runtime.v1) runtime and image services of one containerd, over its unix socket. Owns
/// the channel; the generated clients are thread-safe and shared by every pod worker.
/// </summary>
internal sealed class CriClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public CriClient(string socketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                // Without this check a missing socket surfaces as .NET's misleading
                // "Cannot assign requested address (localhost:80)".
                if (!File.Exists(socketPath))
                {
                    throw new IOException($"containerd socket {socketPath} does not exist (is containerd running?)");
                }

                return await UnixSockets.ConnectAsync(socketPath, ct);
            },
        };
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            // A cancelled call is an OperationCanceledException, which callers already treat as "stopping".
            ThrowOperationCanceledOnCancellation = true,
        });
        Runtime = new RuntimeService.RuntimeServiceClient(_channel);
        Images = new ImageService.ImageServiceClient(_channel);
    }

    public string SocketPath { get; }

    public RuntimeService.RuntimeServiceClient Runtime { get; }

    public ImageService.ImageServiceClient Images { get; }

    /// <summary>The runtime's name and version, e.g. <c>containerd://1.6.20</c>.</summary>
    public async Task<string> VersionAsync(CancellationToken ct)
    {
        var v = await Runtime.VersionAsync(new VersionRequest { Version = "v1" }, cancellationToken: ct);
        return $"{v.RuntimeName}://{v.RuntimeVersion}";
    }

    /// <summary>True for the errors that mean "no such sandbox/container" (the call was idempotent).</summary>
    public static bool IsNotFound(RpcException e) => e.StatusCode == StatusCode.NotFound;

    public void Dispose() => _channel.Dispose();
}
