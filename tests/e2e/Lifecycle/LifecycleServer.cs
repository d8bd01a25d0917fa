using k8s;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;
using KubeWeb.E2E.Infrastructure;

namespace KubeWeb.E2E.Lifecycle;

/// <summary>One in-process server (SQLite, port 0, short node grace period) shared by the lifecycle tests.</summary>
public sealed class LifecycleServer : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kw-life-" + Guid.NewGuid().ToString("N")[..8]);

    public ServerHost Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerHost.StartAsync(new ServerSettings
        {
            DataDir = _dir,
            HttpsPort = 0,
            BindAddress = System.Net.IPAddress.Loopback,
            Controllers = new ControllerManagerOptions { NodeMonitorGracePeriod = TimeSpan.FromSeconds(3), RetryPeriod = TimeSpan.FromMilliseconds(500) },
        }, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes; returns whether it held.</summary>
    public static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) => Eventually.HoldsAsync(condition, timeout, TimeSpan.FromMilliseconds(100));
}
