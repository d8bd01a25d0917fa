using Bunit;
using KubeWeb.Web.Components.Controls.Metrics;
using KubeWeb.Web.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace KubeWeb.Web.Tests.Metrics;

public sealed class MetricsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    // Generous: the machine may be busy, and the answers arrive on other threads.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly BunitContext _ctx = new();
    private readonly FakeMetrics _source = new();

    public MetricsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<IMetricsSource>(_source);
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(T0));
        _ctx.Services.AddScoped<MetricsHistory>();
    }

    [Fact]
    public void Parse_ReadsMetricsServerShapes_AndSumsContainers()
    {
        var reading = ApiMetricsSource.Parse(
            """{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","items":[{"metadata":{"name":"n1"},"timestamp":"2026-11-25T12:00:00Z","window":"10s","usage":{"cpu":"250m","memory":"1Gi"}}]}""",
            """{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","items":[{"metadata":{"name":"web","namespace":"shop"},"timestamp":"2026-11-25T12:00:00Z","window":"10s","containers":[{"name":"app","usage":{"cpu":"100000000n","memory":"64Mi"}},{"name":"proxy","usage":{"cpu":"50m","memory":"16Mi"}}]}]}""");

        Assert.Equal(0.25, reading.Nodes["n1"].CpuCores, 6);
        Assert.Equal(1024.0 * 1024 * 1024, reading.Nodes["n1"].MemoryBytes);
        Assert.Equal(0.15, reading.Pods["shop/web"].CpuCores, 6);
        Assert.Equal(80.0 * 1024 * 1024, reading.Pods["shop/web"].MemoryBytes);
        Assert.Equal(["app", "proxy"], reading.Containers["shop/web"].Select(c => c.Container));
    }

    [Fact]
    public async Task History_KeepsOneSamplePerTimestamp_SumsTheCluster_AndCaps()
    {
        var history = new MetricsHistory(_source, TimeProvider.System);
        for (var i = 0; i < MetricsHistory.Capacity + 5; i++)
        {
            _source.Next = Reading(T0.AddSeconds(15 * i), ("n1", 0.1 * (i + 1)), ("n2", 0.5));
            await history.PollAsync(CancellationToken.None);
            await history.PollAsync(CancellationToken.None);
        }

        Assert.Equal(MetricsState.Available, history.State);
        var series = history.Series(MetricsHistory.NodeKey("n1"));
        Assert.Equal(MetricsHistory.Capacity, series.Count);
        Assert.Equal(T0.AddSeconds(15 * (MetricsHistory.Capacity + 4)), series[^1].At);
        Assert.Equal(0.1 * (MetricsHistory.Capacity + 5) + 0.5, history.Latest(MetricsHistory.ClusterKey)!.Value.CpuCores, 6);
    }

    [Fact]
    public void Chart_DrawsALineThroughEverySample_WithTheLatestValueAndShare()
    {
        var samples = new[] { new UsageSample(T0, 0.2, 0), new UsageSample(T0.AddSeconds(15), 0.5, 0), new UsageSample(T0.AddSeconds(30), 1.0, 0) };

        var chart = _ctx.Render<UsageChart>(p => p.Add(c => c.Samples, samples).Add(c => c.Metric, UsageMetric.Cpu).Add(c => c.Title, "CPU").Add(c => c.Capacity, 4.0));

        var points = chart.Find("polyline").GetAttribute("points")!.Split(' ');
        Assert.Equal(3, points.Length);
        var ys = points.Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(ys[0] > ys[1] && ys[1] > ys[2], "higher usage must be drawn higher");
        Assert.Contains("1000m", chart.Find(".kw-chart-value").TextContent, StringComparison.Ordinal);
        Assert.Contains("25% of 4", chart.Find(".kw-chart-pct").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_WithoutSamples_SaysItIsWaiting()
    {
        var chart = _ctx.Render<UsageChart>(p => p.Add(c => c.Samples, []).Add(c => c.Metric, UsageMetric.Memory));

        Assert.Empty(chart.FindAll("svg"));
        Assert.Contains("Waiting", chart.Find(".kw-chart-empty").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Panel_WhenTheApiHasNoMetrics_SaysNotAvailable_AndDrawsNoChart()
    {
        _source.Fail = new MetricsNotAvailableException("the API does not serve apis/metrics.k8s.io/v1beta1 (no metrics server)");

        var panel = _ctx.Render<MetricsPanel>(p => p.Add(m => m.Node, "n1"));

        panel.WaitForAssertion(() => Assert.Contains("Metrics not available", panel.Find("#metrics-unavailable").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(panel.FindAll(".kw-chart"));
        Assert.Equal("NotAvailable", panel.Find("#metrics-panel").GetAttribute("data-state"));
    }

    [Fact]
    public void Panel_WithMetrics_ChartsTheNode()
    {
        _source.Next = Reading(T0, ("n1", 0.3));

        var panel = _ctx.Render<MetricsPanel>(p => p.Add(m => m.Node, "n1").Add(m => m.CpuCapacity, 2.0));

        panel.WaitForAssertion(() => Assert.Equal("1", panel.Find("#chart-cpu").GetAttribute("data-points")), Wait);
        Assert.Contains("300m", panel.Find("#chart-cpu .kw-chart-value").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("#metrics-unavailable"));
    }

    [Fact]
    public void ParseHistory_ReadsNodeSamples_AndSumsPodContainers()
    {
        var node = ApiMetricsSource.ParseHistory(
            """{"kind":"NodeMetricsHistory","apiVersion":"metrics.kubeweb.io/v1alpha1","metadata":{"name":"n1"},"samples":[{"timestamp":"2026-11-25T11:59:50Z","window":"10s","usage":{"cpu":"250m","memory":"1Gi"}},{"timestamp":"2026-11-25T12:00:00Z","window":"10s","usage":{"cpu":"500m","memory":"1Gi"}}]}""");
        var pod = ApiMetricsSource.ParseHistory(
            """{"kind":"PodMetricsHistory","apiVersion":"metrics.kubeweb.io/v1alpha1","metadata":{"name":"web","namespace":"shop"},"samples":[{"timestamp":"2026-11-25T12:00:00Z","window":"10s","usage":{"cpu":"150m","memory":"80Mi"},"containers":[{"name":"app","usage":{"cpu":"100m","memory":"64Mi"}},{"name":"proxy","usage":{"cpu":"50m","memory":"16Mi"}}]}]}""");

        Assert.Equal([0.25, 0.5], node.Select(s => s.CpuCores));
        Assert.Equal(T0.AddSeconds(-10), node[0].At);
        Assert.Equal(0.15, Assert.Single(pod).CpuCores, 6);
        Assert.Equal(80.0 * 1024 * 1024, pod[0].MemoryBytes);
    }

    [Fact]
    public async Task Seeding_PutsRememberedSamplesBeforePolledOnes_OncePerKey()
    {
        var history = new MetricsHistory(_source, TimeProvider.System);
        _source.Next = Reading(T0, ("n1", 0.9));
        await history.PollAsync(CancellationToken.None);
        _source.History = [new UsageSample(T0.AddSeconds(-20), 0.1, 1), new UsageSample(T0.AddSeconds(-10), 0.2, 1), new UsageSample(T0, 0.3, 1)];

        await history.SeedAsync(MetricsHistory.NodeKey("n1"), CancellationToken.None);

        // The remembered sample at T0 is the one already polled: kept once, the polled value wins.
        Assert.Equal([0.1, 0.2, 0.9], history.Series(MetricsHistory.NodeKey("n1")).Select(s => s.CpuCores));
        history.EnsureHistory(MetricsHistory.NodeKey("n2"));
        history.EnsureHistory(MetricsHistory.NodeKey("n2"));
        Assert.Equal(2, _source.HistoryReads);
    }

    [Fact]
    public void Panel_StartsWithTheRememberedUsage()
    {
        _source.Next = Reading(T0, ("n1", 0.3));
        _source.History = [new UsageSample(T0.AddSeconds(-30), 0.1, 1), new UsageSample(T0.AddSeconds(-15), 0.2, 1)];

        var panel = _ctx.Render<MetricsPanel>(p => p.Add(m => m.Node, "n1").Add(m => m.CpuCapacity, 2.0));

        panel.WaitForAssertion(() => Assert.Equal("3", panel.Find("#chart-cpu").GetAttribute("data-points")), Wait);
    }

    [Theory]
    [InlineData(0.0015, "2m")]
    [InlineData(1.5, "1500m")]
    [InlineData(12.3, "12.3")]
    public void CpuFigures_ReadLikeKubectlTop(double cores, string expected) => Assert.Equal(expected, UsageFormat.Cpu(cores));

    private static MetricsReading Reading(DateTimeOffset at, params (string Node, double Cpu)[] nodes) =>
        new(nodes.ToDictionary(n => n.Node, n => new UsageSample(at, n.Cpu, 1024 * 1024)), new Dictionary<string, UsageSample>(),
            new Dictionary<string, IReadOnlyList<(string, UsageSample)>>());

    private sealed class FakeMetrics : IMetricsSource
    {
        public MetricsReading? Next { get; set; }

        public Exception? Fail { get; set; }

        public IReadOnlyList<UsageSample> History { get; set; } = [];

        public int HistoryReads { get; private set; }

        public Task<MetricsReading> ReadAsync(CancellationToken ct) =>
            Fail is { } e ? Task.FromException<MetricsReading>(e) : Task.FromResult(Next ?? Reading(T0));

        public Task<IReadOnlyList<UsageSample>> ReadHistoryAsync(string key, CancellationToken ct)
        {
            HistoryReads++;
            return Task.FromResult(History);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
