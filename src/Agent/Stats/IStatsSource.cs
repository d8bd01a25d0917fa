namespace KubeWeb.Agent.Stats;

/// <summary>
/// One running container as the runtime measured it. CPU is cumulative (core-nanoseconds since the
/// container started, as CRI's <c>usage_core_nano_seconds</c>); <paramref name="CpuNanoCores"/> is set
/// when the source already knows the rate (CRI's <c>usage_nano_cores</c>, the simulated runtime).
/// </summary>
public sealed record ContainerSample(
    string PodUid,
    string Namespace,
    string PodName,
    string Container,
    string ContainerId,
    DateTime Timestamp,
    ulong CpuUsageNanoSeconds,
    ulong WorkingSetBytes,
    ulong? CpuNanoCores = null);

/// <summary>The node as a whole, with the same meaning as <see cref="ContainerSample"/>.</summary>
public sealed record NodeSample(DateTime Timestamp, ulong CpuUsageNanoSeconds, ulong WorkingSetBytes, ulong? CpuNanoCores = null);

/// <summary>One sampling round: the node and every running container.</summary>
public sealed record StatsSample(NodeSample Node, IReadOnlyList<ContainerSample> Containers);

/// <summary>
/// A runtime that can measure what it runs (the containerd runtime through CRI stats, the simulated
/// runtime synthetically). The node agent samples it every stats interval and turns cumulative
/// counters into rates (<see cref="UsageCalculator"/>).
/// </summary>
public interface IStatsSource
{
    Task<StatsSample> SampleAsync(CancellationToken ct);
}
