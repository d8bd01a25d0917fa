using System.Net;
using System.Security.Cryptography;
using KubeWeb.Api;
using KubeWeb.Api.Agents;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Informers;
using KubeWeb.Host.Pki;
using KubeWeb.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Host.Hosting;

/// <summary>
/// Composes <c>kubeweb server</c>: TLS, the API, and the admin kubeconfig written once the API
/// answers. Tests start it in process on port 0 through <see cref="StartAsync"/>.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IHost? _controllers;

    private LocalAgent? _agent;

    private ServerHost(WebApplication app, string url, string kubeconfig, string token)
    {
        _app = app;
        Url = url;
        KubeconfigPath = kubeconfig;
        AdminToken = token;
    }

    public string Url { get; }

    public string KubeconfigPath { get; }

    public string AdminToken { get; }

    /// <summary>The join token agents present (<c>kubeweb agent --token-file DATA_DIR/node-token</c>).</summary>
    public string NodeTokenPath { get; private init; } = "";

    /// <summary>The Unix socket the in-process controller manager uses (cleartext HTTP/1.1, owner-only folder); null when disabled or the path is too long.</summary>
    public string? ApiSocket { get; private init; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The local node agent, when one runs (see <see cref="ServerSettings.LocalAgent"/>).</summary>
    public LocalAgent? LocalAgent => _agent;

    public static async Task<ServerHost> StartAsync(ServerSettings settings, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(settings.DataDir);
        var token = LoadOrCreateToken(Path.Combine(settings.DataDir, "admin-token"));
        var nodeToken = LoadOrCreateToken(Path.Combine(settings.DataDir, "node-token"));
        var (ca, serving) = CertificateAuthority.LoadOrCreate(Path.Combine(settings.DataDir, "tls"), settings.TlsSans);

        var store = StoreOptions.FromEndpoint(settings.DatastoreEndpoint, settings.DataDir);
        if (settings.CompactionRetention is { } retention)
        {
            store.CompactionRetention = retention;
            store.CompactionInterval = retention < store.CompactionInterval ? retention : store.CompactionInterval;
        }

        if (settings.EventTtl is { } ttl)
        {
            store.EventTtl = ttl;
        }

        var api = new ApiServerOptions
        {
            AdminToken = token,
            ServiceAccountKeyFile = Path.Combine(settings.DataDir, "tls", "service-account.key"),
            DefaultNotReadyTolerationSeconds = settings.DefaultNotReadyTolerationSeconds,
            DefaultUnreachableTolerationSeconds = settings.DefaultUnreachableTolerationSeconds,
        };
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = settings.DataDir, Args = [] });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var apiSocket = settings.DisableApiSocket ? null : LocalApiSocket.PathFor(settings.DataDir);
        if (apiSocket is not null)
        {
            LocalApiSocket.Prepare(apiSocket);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the API enforces its own 3 MiB limit with a Status body
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions o)
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(serving);
            }

            if (settings.BindAddress is { } address)
            {
                k.Listen(address, settings.HttpsPort, Https);
            }
            else
            {
                k.ListenAnyIP(settings.HttpsPort, Https);
            }

            if (apiSocket is not null)
            {
                // In-process clients only: cleartext HTTP/1.1, authenticated like every request.
                k.ListenUnixSocket(apiSocket, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.AddSingleton(new AgentHubOptions { NodeToken = nodeToken });
        builder.Services.AddKubeWebApi(store, api);
        builder.Services.AddKubeWebConsole(new ConsoleOptions { DataDir = settings.DataDir, CaCertificatePem = ca.ExportCertificatePem() });

        var app = builder.Build();
        app.UseKubeWebAuthentication();
        app.MapKubeWebApi();
        app.MapKubeWebConsole();
        await app.StartAsync(ct);

        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Where(a => a.StartsWith("https://", StringComparison.Ordinal))
            .Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port).First();
        var host = settings.BindAddress is { } b && !b.Equals(IPAddress.Any) && !b.Equals(IPAddress.IPv6Any) ? b.ToString() : "127.0.0.1";
        var url = $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}";
        api.AdvertiseAddress = $"{host}:{port}";

        Kubeconfig.Write(settings.KubeconfigFile, Kubeconfig.Render(url, ca.ExportCertificatePem(), token));
        var server = new ServerHost(app, url, settings.KubeconfigFile, token) { NodeTokenPath = Path.Combine(settings.DataDir, "node-token"), ApiSocket = apiSocket };
        if (!settings.DisableControllers)
        {
            var controllerOptions = settings.Controllers with { RootCaPem = ca.ExportCertificatePem(), StorageRoot = settings.DefaultLocalStoragePath ?? Path.Combine(Path.GetFullPath(settings.DataDir), "storage") };
            server._controllers = await ControllerManagerHost.StartAsync(url, token, ca, controllerOptions, logging, ct, apiSocket);
            // SIGTERM reaches both hosts at once: stop the controller manager while the API still
            // answers, so its watches end as a stop and not as a server that went away.
            app.Lifetime.ApplicationStopping.Register(() => server.StopControllersAsync().GetAwaiter().GetResult());
        }

        if (settings.LocalAgent is { } local)
        {
            server._agent = await Hosting.LocalAgent.StartAsync(local, settings.DataDir, url, nodeToken, ca, app.Services.GetRequiredService<ILoggerFactory>(), ct);
            // On SIGTERM the process ends once the host has stopped, before the caller's DisposeAsync
            // runs: stop the agent and containerd while the host stops (the API still answers then).
            app.Lifetime.ApplicationStopping.Register(() => server.StopLocalAgentAsync().GetAwaiter().GetResult());
        }

        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    private async Task StopLocalAgentAsync()
    {
        if (Interlocked.Exchange(ref _agent, null) is { } agent)
        {
            await agent.DisposeAsync();
        }
    }

    private async Task StopControllersAsync()
    {
        if (Interlocked.Exchange(ref _controllers, null) is { } controllers)
        {
            await controllers.StopAsync();
            controllers.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLocalAgentAsync();
        await StopControllersAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string LoadOrCreateToken(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        File.WriteAllText(path, token + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }
}
