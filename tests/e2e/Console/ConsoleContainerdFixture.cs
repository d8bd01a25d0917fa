using KubeWeb.E2E.Pods;
using KubeWeb.Host.Hosting;

namespace KubeWeb.E2E.Console;

/// <summary>The console on <c>kubeweb server</c> with its local containerd node: logs and exec against real containers.</summary>
public sealed class ConsoleContainerdFixture() : ConsoleBrowserFixture<ContainerdServer>(new ContainerdServer())
{
    protected override ServerHost Server => Cluster.Server;
}
