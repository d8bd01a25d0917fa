using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>kubectl against <c>kubeweb server</c> running real pods through its own containerd.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class PodScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);

    [Fact]
    public async Task KubectlRun_ReachesRunning_WithAPodIp()
    {
        (await _kubectl.RunAsync("run", "sleeper", "--image=localhost/kubeweb/busybox:1.0", "--", "sleep", "3600")).Succeeded();

        (await _kubectl.RunAsync(["wait", "pod/sleeper", "--for=jsonpath={.status.phase}=Running", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        var ip = (await _kubectl.RunAsync("get", "pod", "sleeper", "-o", "jsonpath={.status.podIP}")).Succeeded().Stdout;
        Assert.StartsWith("10.244.", ip);
        var node = (await _kubectl.RunAsync("get", "pod", "sleeper", "-o", "jsonpath={.spec.nodeName} {.status.containerStatuses[0].state.running.startedAt}")).Succeeded().Stdout;
        Assert.StartsWith("local ", node);
        (await _kubectl.RunAsync("delete", "pod", "sleeper", "--grace-period=1")).Succeeded();
    }

    [Fact]
    public async Task CreateDeployment_RunsItsReplicas()
    {
        (await _kubectl.RunAsync("create", "deployment", "web", "--image=localhost/kubeweb/busybox:1.0", "--replicas=2", "--", "sleep", "3600")).Succeeded();

        (await _kubectl.RunAsync(["rollout", "status", "deployment/web", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        var ips = (await _kubectl.RunAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.podIP}")).Succeeded().Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("10.244.", ip));
        (await _kubectl.RunAsync("delete", "deployment", "web")).Succeeded();
    }

    [Fact]
    public async Task NodeReportsTheContainerdVersion()
    {
        var runtime = (await _kubectl.RunAsync("get", "node", "local", "-o", "jsonpath={.status.nodeInfo.containerRuntimeVersion}")).Succeeded().Stdout;

        Assert.StartsWith("containerd://", runtime);
    }

    public void Dispose() => _kubectl.Dispose();
}
