using System.Security.Cryptography.X509Certificates;
using k8s;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace KubeWeb.Web.Api;

/// <summary>
/// Where the console's clients connect: the API on this server's own HTTPS listener (loopback),
/// trusting only the cluster CA. Resolved on first use because the port is known only after start.
/// </summary>
internal sealed class ApiEndpoint(IServer server, Hosting.ConsoleOptions options)
{
    private Uri? _url;

    public Uri Url => _url ??= options.ApiServerUrl ?? FromListener();

    /// <summary>A client for one user's bearer token; the caller owns and disposes it.</summary>
    public Kubernetes CreateClient(string token)
    {
        var config = new KubernetesClientConfiguration { Host = Url.ToString(), AccessToken = token };
        if (options.CaCertificatePem is { } pem)
        {
            config.SslCaCerts = [X509Certificate2.CreateFromPem(pem)];
        }
        else
        {
            config.SkipTlsVerify = true;
        }

        return new Kubernetes(config);
    }

    private Uri FromListener()
    {
        // The HTTPS listener, not the controller manager's Unix socket (exec needs WebSockets, which the socket does not carry).
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The server has no listening address yet.");
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        return new UriBuilder(uri) { Path = "/" }.Uri;
    }
}
