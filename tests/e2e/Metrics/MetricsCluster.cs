using System.Net;
using k8s;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Metrics;

/// <summary>
/// A server with its scheduler and two simulated nodes reporting synthetic usage every second
/// (instead of every 10 s), so <c>kubectl top</c> has current metrics within a few seconds.
/// </summary>
public sealed class MetricsCluster : IAsyncLifetime
{
    private AgentHost? _agents;
    private ILoggerFactory _loggers = null!;

    public string Dir { get; } = Directory.CreateTempSubdirectory("kw-metrics-").FullName;

    public ServerHost Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var data = Path.Combine(Dir, "data");
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = data, HttpsPort = 0, BindAddress = IPAddress.Loopback }, logging: b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "server.log")));
            b.SetMinimumLevel(LogLevel.Information);
            b.AddFilter("Microsoft", LogLevel.Warning);
        });
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        _agents = SimulatedAgents.Start(Server, data, "top", 2, new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromMilliseconds(100) },
            _loggers, labels: new() { ["tier"] = "metrics" }, statsInterval: TimeSpan.FromSeconds(1));
        await Task.WhenAll(_agents.Nodes.Select(n => n.Registered)).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_agents is not null)
        {
            await _agents.DisposeAsync();
        }

        Client?.Dispose();
        await Server.DisposeAsync();
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
}
