using k8s;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Tests;

/// <summary>The real server in process on a random port, in a throwaway data folder; subclasses say how it runs.</summary>
public abstract class InProcessServerFixture(string name) : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"kubeweb-{name}-" + Guid.NewGuid().ToString("N"));

    internal ServerHost Server { get; private set; } = null!;

    internal IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerHost.StartAsync(Settings(_dataDir), logging => logging.SetMinimumLevel(LogLevel.Warning));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The server's settings (called once, just before it starts).</summary>
    private protected abstract ServerSettings Settings(string dataDir);
}
