using k8s.Models;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Agent.Stats;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Agent.Tests.Stats;

public sealed class SyntheticUsageTests
{
    [Fact]
    public void Usage_IsAShareOfTheRequest_StablePerContainer()
    {
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var requests = SyntheticUsage.Requests(Container("500m", "256Mi"));
        Assert.Equal((500L, 256L << 20), requests);
        var first = SyntheticUsage.At("uid", "app", requests, at);
        Assert.Equal(first, SyntheticUsage.At("uid", "app", requests, at));
        Assert.InRange(first.NanoCores, 0.1 * 0.9 * 500e6, 0.6 * 1.1 * 500e6);
        Assert.InRange(first.MemoryBytes, 0.3 * 0.95 * (256 << 20), 0.8 * 1.05 * (256 << 20));
        Assert.NotEqual(first, SyntheticUsage.At("other-uid", "app", requests, at));
    }

    [Fact]
    public void WithoutRequests_LimitsOrSmallDefaultsApply()
    {
        Assert.Equal((50L, 32L << 20), SyntheticUsage.Requests(new V1Container { Name = "c" }));
        var limited = new V1Container { Name = "c", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("1Gi") } } };
        Assert.Equal((2000L, 1L << 30), SyntheticUsage.Requests(limited));
    }

    [Fact]
    public async Task SimulatedRuntime_ReportsRunningContainers_AndTheNodeAsTheirSumPlusBase()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var runtime = new SimulatedRuntime(new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromSeconds(1) }, time);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "uid-1" },
            Spec = new V1PodSpec { Containers = [Container("1", "1Gi")] },
        };
        await runtime.SyncPodAsync(pod, CancellationToken.None);
        Assert.Empty((await runtime.SampleAsync(CancellationToken.None)).Containers);

        time.Advance(TimeSpan.FromSeconds(2));
        await WaitAsync(async () => (await runtime.GetPodAsync("uid-1", CancellationToken.None))!.Containers.All(c => c.State == KubeWeb.Agent.Runtime.ContainerState.Running));
        var sample = await runtime.SampleAsync(CancellationToken.None);
        var c = Assert.Single(sample.Containers);
        Assert.Equal(("uid-1", "ns", "web", "app"), (c.PodUid, c.Namespace, c.PodName, c.Container));
        Assert.Equal((ulong)SyntheticUsage.NodeBaseNanoCores + c.CpuNanoCores, sample.Node.CpuNanoCores);
        Assert.Equal((ulong)SyntheticUsage.NodeBaseMemoryBytes + c.WorkingSetBytes, sample.Node.WorkingSetBytes);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(await condition());
    }

    private static V1Container Container(string cpu, string memory) => new()
    {
        Name = "app",
        Image = "busybox",
        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } },
    };
}
