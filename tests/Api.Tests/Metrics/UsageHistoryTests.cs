using KubeWeb.Api.Metrics;
using KubeWeb.Core.Agents;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Api.Tests.Metrics;

/// <summary>How a pod's usage history is packed: what goes in comes out, in a ring that grows only as samples arrive.</summary>
public sealed class UsageHistoryTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Ring_GrowsWithSamples_UpToItsCapacity_KeepingTheNewestOldestFirst()
    {
        var history = new UsageHistory<NodeUsageSample>(96);
        Assert.Equal(0, history.Allocated);

        for (var i = 0; i < 5; i++)
        {
            history.Add(new NodeUsageSample(T0.AddSeconds(10 * i), 10, i, 0));
        }

        Assert.Equal(8, history.Allocated);
        Assert.Equal([0L, 1, 2, 3, 4], history.Since(DateTime.MinValue).Select(s => s.CpuNanoCores));

        for (var i = 5; i < 200; i++)
        {
            history.Add(new NodeUsageSample(T0.AddSeconds(10 * i), 10, i, 0));
        }

        Assert.Equal(96, history.Allocated);
        Assert.Equal(Enumerable.Range(104, 96).Select(i => (long)i), history.Since(DateTime.MinValue).Select(s => s.CpuNanoCores));
    }

    [Fact]
    public void OneContainerSample_RoundTrips_AndSharesTheKnownName()
    {
        var known = "app";
        var sample = new PodUsageSample(T0, 10.5, [new ContainerUsage(new string("app".AsSpan()), 250, 1 << 20)]);

        var slot = PodSampleSlot.From(sample, known);
        var back = slot.ToSample();

        Assert.Same(known, slot.SingleName);
        Assert.Equal(T0, back.Timestamp);
        Assert.Equal(10.5, back.WindowSeconds);
        var c = Assert.Single(back.Containers);
        Assert.Equal(("app", 250L, 1L << 20), (c.Name, c.CpuNanoCores, c.MemoryBytes));
    }

    [Fact]
    public void OtherShapes_KeepEveryContainer()
    {
        var two = new PodUsageSample(T0, 10, [new ContainerUsage("app", 1, 2), new ContainerUsage("sidecar", 3, 4)]);
        var none = new PodUsageSample(T0, 10, []);

        var slot = PodSampleSlot.From(two, "app");

        Assert.Null(slot.SingleName);
        Assert.Equal(two.Containers, slot.ToSample().Containers);
        Assert.Equal(4, slot.ToSample().CpuNanoCores);
        Assert.Empty(PodSampleSlot.From(none, "app").ToSample().Containers);
    }

    [Fact]
    public void PodHistory_ThroughTheStore_ServesWhatEachReportSaid()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(T0));
        var store = new MetricsStore(new MetricsOptions(), time);
        for (var i = 1; i <= 3; i++)
        {
            var containers = i == 2
                ? new[] { new ContainerUsage("app", i, i * 10), new ContainerUsage("init", 7, 70) }
                : new[] { new ContainerUsage("app", i, i * 10) };
            store.Record("n1", new NodeStatsReport(DateTime.UnixEpoch, 10, 0, 0, []), [new PodUsage("ns", "web", "u1", containers)]);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        var samples = store.PodHistory("ns", "web")!.Value.Samples;
        Assert.Equal(["app", "app|init", "app"], samples.Select(s => string.Join('|', s.Containers.Select(c => c.Name))));
        Assert.Equal([1L, 9, 3], samples.Select(s => s.CpuNanoCores));
        Assert.Equal([10L, 90, 30], samples.Select(s => s.MemoryBytes));
        Assert.Equal([T0, T0.AddSeconds(10), T0.AddSeconds(20)], samples.Select(s => s.Timestamp));
    }
}
