using k8s;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Tests.Runtime;

/// <summary>The real server in process on a random port with no controllers: a test runs the ones it needs itself.</summary>
public sealed class BareServerFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kubeweb-bare-" + Guid.NewGuid().ToString("N"));

    internal ServerHost Server { get; private set; } = null!;

    internal IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = _dataDir, HttpsPort = 0, DisableControllers = true },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
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
}
