using k8s;
using KubeWeb.Controllers.Apps;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Tests.Apps;

/// <summary>The real server in process on a random port, with the apps controllers running in it.</summary>
public sealed class AppsServerFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kubeweb-apps-" + Guid.NewGuid().ToString("N"));

    internal ServerHost Server { get; private set; } = null!;

    internal IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ControllerManagerHost.ConfigureControllers = s => s.AddKubeWebAppsControllers();
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = _dataDir, HttpsPort = 0 },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await Server.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // ObjectStore.DisposeAsync is not idempotent on this branch (fixed on main by d8e76f7).
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
