using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using k8s;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using KubeWeb.E2E.Infrastructure;

namespace KubeWeb.E2E.TypedClient;

/// <summary>
/// The server's Unix socket for its in-process controller manager: owner-only, cleartext HTTP/1.1,
/// and the same authentication, API and watches as the HTTPS listener.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Datastore", "Sqlite")]
[SupportedOSPlatform("linux")]
public sealed class LocalApiSocketTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public void Socket_LivesInAnOwnerOnlyFolder()
    {
        var socket = Assert.IsType<string>(server.Server.ApiSocket);
        Assert.True(File.Exists(socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
    }

    [Fact]
    public async Task Request_WithoutToken_IsRefused()
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = (_, ct) => ConnectAsync(server.Server.ApiSocket!, ct) });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://localhost/api/v1/namespaces")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedClient_OnTheSocket_CreatesAndWatchesLikeOverHttps()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = LocalApiSocket.CreateClient(server.Server.ApiSocket!, server.Server.AdminToken);
        var ns = $"sock-{Guid.NewGuid():N}"[..16];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cts.Token);

        var resources = new ResourceClient(client);
        var type = ResourceRegistry.Default.Find("", "v1", "configmaps")!;
        var page = await resources.ListAsync<V1ConfigMap>(type, ns, null, null, null, 0, null, cts.Token);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var item in resources.WatchAsync<V1ConfigMap>(type, ns, "suite=socket", null, page.ResourceVersion, 25, cts.Token))
            {
                if (item.Object?.Metadata.Name == "over-socket")
                {
                    seen.TrySetResult(item.Type);
                    return;
                }
            }
        }, cts.Token);

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "over-socket", Labels = new Dictionary<string, string> { ["suite"] = "socket" } } },
            ns, cancellationToken: cts.Token);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal("ADDED", await seen.Task.WaitAsync(cts.Token));
        await watching;

        // The same object through the HTTPS listener: one API behind both.
        using var https = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        var read = await https.CoreV1.ReadNamespacedConfigMapAsync("over-socket", ns, cancellationToken: cts.Token);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    private static async ValueTask<Stream> ConnectAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
        return new NetworkStream(socket, ownsSocket: true);
    }
}
