using KubeWeb.Agent.Stats;

namespace KubeWeb.Agent.Tests.Stats;

public sealed class UsageCalculatorTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FirstRound_HasNoRate_SecondRound_DividesCumulativeByElapsed()
    {
        var calc = new UsageCalculator(TimeSpan.FromSeconds(10));
        Assert.Null(calc.Next(Sample(T0, 1_000_000_000, Container("c1", T0, 5_000_000_000))));

        // 10 s later the node used 4 more core-seconds (0.4 cores), the container 2.5 (0.25 cores).
        var report = calc.Next(Sample(T0.AddSeconds(10), 5_000_000_000, Container("c1", T0.AddSeconds(10), 7_500_000_000)));

        Assert.NotNull(report);
        Assert.Equal(400_000_000, report.CpuNanoCores);
        Assert.Equal(10, report.WindowSeconds);
        Assert.Equal(2L << 30, report.MemoryBytes);
        var pod = Assert.Single(report.Pods);
        Assert.Equal(("ns", "web", "uid-1"), (pod.Namespace, pod.Name, pod.Uid));
        var c = Assert.Single(pod.Containers);
        Assert.Equal(("app", 250_000_000L, 64L << 20), (c.Name, c.CpuNanoCores, c.MemoryBytes));
    }

    [Fact]
    public void RestartedContainer_NewId_StartsOver_AndIsLeftOutUntilItHasTwoSamples()
    {
        var calc = new UsageCalculator(TimeSpan.FromSeconds(10));
        calc.Next(Sample(T0, 0, Container("c1", T0, 9_000_000_000)));
        var report = calc.Next(Sample(T0.AddSeconds(10), 1_000_000_000, Container("c2", T0.AddSeconds(10), 100)));
        Assert.NotNull(report);
        Assert.Empty(report.Pods);
    }

    [Fact]
    public void CounterGoingBackwards_GivesNoRate_NotANegativeOne()
    {
        Assert.Null(UsageCalculator.Rate(T0, 10_000, T0.AddSeconds(1), 5_000));
        Assert.Null(UsageCalculator.Rate(T0, 10_000, T0, 20_000));
        Assert.Equal(1_000_000_000, UsageCalculator.Rate(T0, 0, T0.AddSeconds(2), 2_000_000_000));
    }

    [Fact]
    public void KnownRates_AreReportedFromTheFirstRound_WithTheIntervalAsWindow()
    {
        var calc = new UsageCalculator(TimeSpan.FromSeconds(10));
        var node = new NodeSample(T0, 0, 1 << 30, CpuNanoCores: 300_000_000);
        var container = new ContainerSample("uid-1", "ns", "web", "app", "c1", T0, 0, 1 << 20, CpuNanoCores: 50_000_000);
        var report = calc.Next(new StatsSample(node, [container]));
        Assert.NotNull(report);
        Assert.Equal(10, report.WindowSeconds);
        Assert.Equal(300_000_000, report.CpuNanoCores);
        Assert.Equal(50_000_000, Assert.Single(Assert.Single(report.Pods).Containers).CpuNanoCores);
    }

    [Fact]
    public void ProcStat_SumsBusyStates_InNanoseconds()
    {
        const string stat = "cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 50 2 25 500 10 1 1 0 0 0\nintr 1 2 3\n";
        // user+nice+system+irq+softirq+steal = 161 ticks of 10 ms.
        Assert.Equal(1_610_000_000UL, HostUsage.CpuNanoSeconds(stat));
        Assert.Throws<FormatException>(() => HostUsage.CpuNanoSeconds("intr 1\n"));
    }

    [Fact]
    public void Meminfo_WorkingSet_IsTotalMinusAvailable()
    {
        const string meminfo = "MemTotal:        4000000 kB\nMemFree:          100000 kB\nMemAvailable:    3000000 kB\n";
        Assert.Equal(1_000_000UL * 1024, HostUsage.WorkingSetBytes(meminfo));
        Assert.Throws<FormatException>(() => HostUsage.WorkingSetBytes("MemTotal: 1 kB\n"));
    }

    [Fact]
    public void HostUsage_ReadsThisMachine()
    {
        var sample = HostUsage.Read(T0);
        Assert.True(sample.CpuUsageNanoSeconds > 0);
        Assert.True(sample.WorkingSetBytes > 0);
    }

    [Fact]
    public void CgroupWorkingSet_SubtractsInactiveFile_AndReadsV1Files()
    {
        Assert.Equal(700UL, CgroupUsage.WorkingSet(1000, 300));
        Assert.Equal(0UL, CgroupUsage.WorkingSet(1000, 3000));
        Assert.Equal(1000UL, CgroupUsage.WorkingSet(1000, null));
        Assert.Null(CgroupUsage.WorkingSet(null, 5));

        var root = Directory.CreateTempSubdirectory("kw-cgroup-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "cpuacct", "kubeweb", "podx", "c1"));
            Directory.CreateDirectory(Path.Combine(root, "memory", "kubeweb", "podx", "c1"));
            File.WriteAllText(Path.Combine(root, "cpuacct", "kubeweb", "podx", "c1", "cpuacct.usage"), "123456789\n");
            File.WriteAllText(Path.Combine(root, "memory", "kubeweb", "podx", "c1", "memory.usage_in_bytes"), "4096000\n");
            File.WriteAllText(Path.Combine(root, "memory", "kubeweb", "podx", "c1", "memory.stat"), "cache 10\ntotal_inactive_file 96000\n");
            Assert.Equal((123456789UL, 4_000_000UL), ((ulong, ulong))ToPair(CgroupUsage.Read(root, "/kubeweb/podx/c1")));
            Assert.Equal((null, null), CgroupUsage.Read(root, "/kubeweb/podx/missing"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (ulong, ulong) ToPair((ulong? Cpu, ulong? Memory) v) => (v.Cpu!.Value, v.Memory!.Value);

    private static StatsSample Sample(DateTime at, ulong nodeCpu, params ContainerSample[] containers) =>
        new(new NodeSample(at, nodeCpu, 2L << 30), containers);

    private static ContainerSample Container(string id, DateTime at, ulong cpu) =>
        new("uid-1", "ns", "web", "app", id, at, cpu, 64L << 20);
}
