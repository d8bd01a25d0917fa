using k8s;
using KubeWeb.Controllers.Hosting;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Tests.PodGarbageCollection;

/// <summary>The real server in process, its pod GC looking every 250 ms, with a 1 s quarantine and a threshold of 3 terminated pods.</summary>
public sealed class PodGcServerFixture : IAsyncLifetime
{
    public const int Threshold = 3;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kubeweb-podgc-" + Guid.NewGuid().ToString("N"));

    internal ServerHost Server { get; private set; } = null!;

    internal IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var controllers = new ControllerManagerOptions
        {
            PodGcPeriod = TimeSpan.FromMilliseconds(250),
            PodGcQuarantine = TimeSpan.FromSeconds(1),
            TerminatedPodGcThreshold = Threshold,
        };
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = _dataDir, HttpsPort = 0, Controllers = controllers },
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
