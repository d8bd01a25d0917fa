using k8s;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Cluster;

/// <summary>The server (API, controllers, scheduler) restarts in the middle of a rollout; the rollout still completes.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Cluster")]
public sealed class ServerRestartScenarios(SimulatedCluster cluster, ITestOutputHelper output) : IClassFixture<SimulatedCluster>
{
    [Fact]
    public async Task RolloutInterruptedByServerRestart_CompletesAfterwards()
    {
        using (var kubectl = new Infrastructure.Kubectl(cluster.Server.KubeconfigPath, output))
        {
            (await kubectl.RunAsync("create", "deployment", "steady", "--image=busybox:1.0", "--replicas=4")).Succeeded();
            // minReadySeconds and no surge beyond one pod make the rollout take several seconds.
            (await kubectl.RunAsync("patch", "deployment", "steady", "--type", "merge", "-p",
                """{"spec":{"minReadySeconds":2,"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}""")).Succeeded();
            (await kubectl.RunAsync(["rollout", "status", "deployment/steady", "--timeout=90s"], null, TimeSpan.FromSeconds(100))).Succeeded();
            (await kubectl.RunAsync("set", "image", "deployment/steady", "busybox=busybox:2.0")).Succeeded();
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        var before = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("steady", "default");
        Assert.True((before.Status.UpdatedReplicas ?? 0) < 4 || (before.Status.AvailableReplicas ?? 0) < 4 || before.Status.Replicas > 4,
            "the rollout should still be in progress when the server stops");

        await cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.StartServerAsync();

        using var after = new Infrastructure.Kubectl(cluster.Server.KubeconfigPath, output);
        var status = await after.RunAsync(["rollout", "status", "deployment/steady", "--timeout=90s"], null, TimeSpan.FromSeconds(100));
        status.Succeeded();
        Assert.Contains("successfully rolled out", status.Stdout, StringComparison.Ordinal);
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=steady");
        var live = pods.Items.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        Assert.Equal(4, live.Count);
        Assert.All(live, p => Assert.Equal("busybox:2.0", p.Spec.Containers[0].Image));
    }
}
