using KubeWeb.Controllers.Apps;
using KubeWeb.Host.Hosting;

namespace KubeWeb.Controllers.Tests.Apps;

/// <summary>The real server in process with its controller manager, the apps controllers included.</summary>
public sealed class AppsServerFixture() : InProcessServerFixture("apps")
{
    private protected override ServerSettings Settings(string dataDir)
    {
        ControllerManagerHost.ConfigureControllers = s => s.AddKubeWebAppsControllers();
        return new() { DataDir = dataDir, HttpsPort = 0 };
    }
}
