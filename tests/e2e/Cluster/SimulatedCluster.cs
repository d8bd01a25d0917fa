using System.Net;
using k8s;
using k8s.Models;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Api.Agents;
using KubeWeb.Controllers.Hosting;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Cluster;

/// <summary>
/// A whole control loop in process: the API, the controller manager and scheduler, and simulated
/// node agents connected over the real HTTPS endpoint and SignalR hub. Timings are shortened
/// (node grace period, default tolerations, lease renewals) so node loss plays out in seconds.
/// </summary>
public sealed class SimulatedCluster : IAsyncLifetime
{
    private readonly List<AgentHost> _agents = [];
    private ILoggerFactory _loggers = null!;

    public string Dir { get; } = Directory.CreateTempSubdirectory("kw-cluster-").FullName;

    public string DataDir => Path.Combine(Dir, "data");

    public int Port { get; } = FreePort();

    public ServerHost Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        await StartServerAsync();
        await StartAgentsAsync("node", 3);
        await StartAgentsAsync("tainted", 1, taints: [new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }], labels: new() { ["pool"] = "gpu" });
    }

    /// <summary>Starts (or restarts) the server on the fixture's port and data dir.</summary>
    public async Task StartServerAsync()
    {
        Server = await ServerHost.StartAsync(new ServerSettings
        {
            DataDir = DataDir,
            HttpsPort = Port,
            BindAddress = IPAddress.Loopback,
            DefaultNotReadyTolerationSeconds = 2,
            DefaultUnreachableTolerationSeconds = 2,
            Controllers = new ControllerManagerOptions
            {
                NodeMonitorGracePeriod = TimeSpan.FromSeconds(4),
                RetryPeriod = TimeSpan.FromMilliseconds(500),
                PodGcPeriod = TimeSpan.FromSeconds(1),
                PodGcQuarantine = TimeSpan.FromSeconds(2),
            },
        }, logging: b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "server.log")));
            b.SetMinimumLevel(LogLevel.Information);
            b.AddFilter("Microsoft", LogLevel.Warning);
            b.AddFilter("System.Net.Http", LogLevel.Warning);
        });
        Server.Services.GetRequiredService<AgentHubOptions>().LeaseRenewIntervalSeconds = 1;
        Client?.Dispose();
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public async Task StopServerAsync() => await Server.DisposeAsync();

    public async Task<AgentHost> StartAgentsAsync(string prefix, int count, IReadOnlyList<V1Taint>? taints = null, Dictionary<string, string>? labels = null)
    {
        var host = SimulatedAgents.Start(Server, DataDir, prefix, count,
            new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromMilliseconds(100), TerminationScale = 0.05 }, _loggers, labels, taints);
        _agents.Add(host);
        await Task.WhenAll(host.Nodes.Select(n => n.Registered)).WaitAsync(TimeSpan.FromSeconds(30));
        return host;
    }

    public async Task StopAgentsAsync(AgentHost host)
    {
        _agents.Remove(host);
        await host.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents)
        {
            await a.DisposeAsync();
        }

        Client?.Dispose();
        try
        {
            await Server.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by a restart test.
        }

        _loggers.Dispose();
        if (Environment.GetEnvironmentVariable("KUBEWEB_E2E_KEEP") != "1")
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
