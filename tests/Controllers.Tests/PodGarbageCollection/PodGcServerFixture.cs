using KubeWeb.Controllers.Hosting;
using KubeWeb.Host.Hosting;

namespace KubeWeb.Controllers.Tests.PodGarbageCollection;

/// <summary>The real server in process, its pod GC looking every 250 ms, with a 1 s quarantine and a threshold of 3 terminated pods.</summary>
public sealed class PodGcServerFixture() : InProcessServerFixture("podgc")
{
    public const int Threshold = 3;

    private protected override ServerSettings Settings(string dataDir) => new()
    {
        DataDir = dataDir,
        HttpsPort = 0,
        Controllers = new ControllerManagerOptions
        {
            PodGcPeriod = TimeSpan.FromMilliseconds(250),
            PodGcQuarantine = TimeSpan.FromSeconds(1),
            TerminatedPodGcThreshold = Threshold,
        },
    };
}
