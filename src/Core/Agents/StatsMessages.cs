namespace KubeWeb.Core.Agents;

/// <summary>
/// Usage of one container over the sample window: CPU as a rate in nanocores (1e9 = one core),
/// memory as the working set in bytes (what metrics-server and the kubelet report).
/// </summary>
public sealed record ContainerUsage(string Name, long CpuNanoCores, long MemoryBytes);

/// <summary>One pod's containers, as the node measured them. <paramref name="Uid"/> ties it to the pod the server knows.</summary>
public sealed record PodUsage(string Namespace, string Name, string Uid, IReadOnlyList<ContainerUsage> Containers);

/// <summary>
/// What <see cref="AgentHubProtocol.ReportStats"/> carries every stats interval (~10 s): the node's
/// own usage and that of its running pods, measured at <paramref name="Timestamp"/> over the
/// preceding <paramref name="WindowSeconds"/>. A pod missing from a report has no metrics (not
/// running yet, or gone). The server keeps the latest report per node and a short history.
/// </summary>
public sealed record NodeStatsReport(DateTime Timestamp, double WindowSeconds, long CpuNanoCores, long MemoryBytes, IReadOnlyList<PodUsage> Pods);
