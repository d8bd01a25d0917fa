using KubeWeb.Controllers.Scheduling.Plugins;

namespace KubeWeb.Controllers.Scheduling.Framework;

/// <summary>The plugins one scheduler runs, in upstream's default-profile order (the order decides which reason a node reports).</summary>
internal sealed class SchedulerProfile(IReadOnlyList<IPreFilterPlugin> preFilters, IReadOnlyList<IFilterPlugin> filters, IReadOnlyList<IScorePlugin> scorers)
{
    public IReadOnlyList<IPreFilterPlugin> PreFilters { get; } = preFilters;

    public IReadOnlyList<IFilterPlugin> Filters { get; } = filters;

    public IReadOnlyList<IScorePlugin> Scorers { get; } = scorers;

    public static SchedulerProfile Default()
    {
        var taints = new TaintToleration();
        var nodeAffinity = new NodeAffinity();
        var spread = new PodTopologySpread();
        var interPod = new InterPodAffinity();
        return new SchedulerProfile(
            [spread, interPod],
            [new NodeUnschedulable(), new NodeName(), taints, nodeAffinity, new NodePorts(), new NodeResourcesFit(), spread, interPod],
            [taints, nodeAffinity, spread, new LeastAllocated(), new BalancedAllocation()]);
    }
}
