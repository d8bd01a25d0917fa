using System.Security.Cryptography.X509Certificates;
using k8s;
using KubeWeb.Controllers.Apps;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Controllers.Scheduling;
using KubeWeb.Controllers.Volumes;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Host.Hosting;

/// <summary>
/// The controller manager (controllers and scheduler) as its own host: in process beside the API
/// server by default, or alone through <c>kubeweb controllers</c>. Either way it talks to the API
/// with a bearer token, exactly like an out-of-process controller: over HTTPS, or beside the server
/// over its Unix socket (<see cref="LocalApiSocket"/>: cleartext HTTP/1.1, no TLS to pay for in process).
/// </summary>
public static class ControllerManagerHost
{
    public static Action<IServiceCollection>? ConfigureControllers { get; set; }

    public static async Task<IHost> StartAsync(string serverUrl, string token, X509Certificate2? ca, ControllerManagerOptions options,
        Action<ILoggingBuilder>? logging = null, CancellationToken ct = default, string? apiSocket = null)
    {
        var config = new KubernetesClientConfiguration { Host = serverUrl, AccessToken = token };
        DelegatingHandler[] handlers = [];
        if (apiSocket is not null)
        {
            LocalApiSocket.Configure(config, apiSocket);
            handlers = LocalApiSocket.Handlers();
        }
        else if (ca is not null)
        {
            config.SslCaCerts = [ca];
        }
        else
        {
            config.SkipTlsVerify = true;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddKubeWebControllerManager(config, options, handlers);
        builder.Services.AddKubeWebCoreControllers();
        builder.Services.AddKubeWebScheduler();
        builder.Services.AddKubeWebAppsControllers();
        builder.Services.AddKubeWebVolumeControllers(new Controllers.Volumes.VolumeControllerOptions { StorageRoot = options.StorageRoot });
        ConfigureControllers?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }
}
