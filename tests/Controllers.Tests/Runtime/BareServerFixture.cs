using KubeWeb.Host.Hosting;

namespace KubeWeb.Controllers.Tests.Runtime;

/// <summary>The real server in process with no controllers: a test runs the ones it needs itself.</summary>
public sealed class BareServerFixture() : InProcessServerFixture("bare")
{
    private protected override ServerSettings Settings(string dataDir) => new() { DataDir = dataDir, HttpsPort = 0, DisableControllers = true };
}
