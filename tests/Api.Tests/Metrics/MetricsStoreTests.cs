using KubeWeb.Api.Discovery;
using KubeWeb.Api.Metrics;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Api.Tests.Metrics;

public sealed class MetricsStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void LatestReport_IsServed_UntilTheNodeGoesStale()
    {
        var store = new MetricsStore(new MetricsOptions(), _time);
        store.Record("n1", Report(100), [Pod("web", "u1", 10)]);

        Assert.Equal(100, store.Node("n1")!.CpuNanoCores);
        Assert.Equal(10, store.Pod("ns", "web")!.Value.Usage.CpuNanoCores);
        Assert.Single(store.Pods("ns"));
        Assert.Empty(store.Pods("other"));

        _time.Advance(TimeSpan.FromSeconds(91));
        Assert.Null(store.Node("n1"));
        Assert.Null(store.Pod("ns", "web"));
        Assert.Empty(store.Nodes());
    }

    [Fact]
    public void PodMissingFromTheNextReport_HasNoCurrentMetrics_ButKeepsItsHistory()
    {
        var store = new MetricsStore(new MetricsOptions(), _time);
        store.Record("n1", Report(100), [Pod("web", "u1", 10)]);
        _time.Advance(TimeSpan.FromSeconds(10));
        store.Record("n1", Report(200), []);

        Assert.Null(store.Pod("ns", "web"));
        Assert.Single(store.PodHistory("ns", "web")!.Value.Samples);
        Assert.Equal([100L, 200L], store.NodeHistory("n1")!.Select(s => s.CpuNanoCores));
    }

    [Fact]
    public void History_KeepsTheWindow_AndTheCapacity_OldestFirst()
    {
        var store = new MetricsStore(new MetricsOptions { HistoryCapacity = 5, HistoryWindow = TimeSpan.FromSeconds(100) }, _time);
        for (var i = 0; i < 8; i++)
        {
            store.Record("n1", Report(i), [Pod("web", "u1", i)]);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal([3L, 4, 5, 6, 7], store.NodeHistory("n1")!.Select(s => s.CpuNanoCores));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal([4L, 5, 6, 7], store.NodeHistory("n1")!.Select(s => s.CpuNanoCores));
        Assert.Equal([4L, 5, 6, 7], store.PodHistory("ns", "web")!.Value.Samples.Select(s => s.CpuNanoCores));
    }

    [Fact]
    public void RecreatedPod_NewUid_StartsANewHistory()
    {
        var store = new MetricsStore(new MetricsOptions(), _time);
        store.Record("n1", Report(1), [Pod("web", "u1", 10)]);
        _time.Advance(TimeSpan.FromSeconds(10));
        store.Record("n1", Report(1), [Pod("web", "u2", 20)]);
        var history = store.PodHistory("ns", "web")!.Value;
        Assert.Equal("u2", history.Uid);
        Assert.Single(history.Samples);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(250_000_000L, "250m")]
    [InlineData(2_000_000_000L, "2")]
    [InlineData(1_500L, "1500n")]
    [InlineData(12_000L, "12u")]
    public void Cpu_IsACanonicalQuantity(long nanoCores, string expected) => Assert.Equal(expected, MetricsFormat.Cpu(nanoCores));

    [Theory]
    [InlineData(1536L * 1024, "1536Ki")]
    [InlineData(2L << 20, "2Mi")]
    [InlineData(1000L, "1000")]
    public void Memory_IsABinaryQuantity(long bytes, string expected) => Assert.Equal(expected, MetricsFormat.Memory(bytes));

    [Theory]
    [InlineData(10.0, "10s")]
    [InlineData(10.0126, "10.013s")]
    [InlineData(90.5, "1m30.5s")]
    [InlineData(3600, "1h0m0s")]
    public void Window_IsAGoDuration(double seconds, string expected) => Assert.Equal(expected, MetricsFormat.Window(seconds));

    [Fact]
    public void Discovery_ListsMetricsGroup_InLegacyAndAggregatedDocuments()
    {
        var docs = new DiscoveryDocuments(ResourceRegistry.Default);
        Assert.Contains("metrics.k8s.io", docs.Groups);
        var list = docs.ResourceList("metrics.k8s.io", "v1beta1")!;
        var resources = list["resources"]!.AsArray().Select(r => ((string?)r!["name"], (string?)r["kind"], (bool?)r["namespaced"])).ToList();
        Assert.Equal([("nodes", "NodeMetrics", false), ("pods", "PodMetrics", true)], resources);
        var aggregated = docs.Aggregated(core: false, "apidiscovery.k8s.io/v2");
        var group = aggregated["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "metrics.k8s.io")!;
        var verbs = group["versions"]![0]!["resources"]![0]!["verbs"]!.AsArray().Select(v => (string?)v);
        Assert.Equal(["get", "list"], verbs);
    }

    private static NodeStatsReport Report(long cpu) => new(DateTime.UnixEpoch, 10, cpu, 1 << 30, []);

    private static PodUsage Pod(string name, string uid, long cpu) => new("ns", name, uid, [new ContainerUsage("app", cpu, 1 << 20)]);
}
