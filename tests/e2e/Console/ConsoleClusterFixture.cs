using KubeWeb.E2E.Cluster;
using KubeWeb.Host.Hosting;

namespace KubeWeb.E2E.Console;

/// <summary>The console on a whole simulated cluster (API, controllers, scheduler, simulated nodes), so pods really run and move.</summary>
public sealed class ConsoleClusterFixture() : ConsoleBrowserFixture<SimulatedCluster>(new SimulatedCluster())
{
    protected override ServerHost Server => Cluster.Server;
}
