using KubeWeb.Controllers.Scheduling.Plugins;

namespace KubeWeb.Controllers.Scheduling.Framework;

/// <summary>The plugins one scheduler runs, in upstream's default-profile order (the order decides which reason a node reports).</summary>
internal sealed class SchedulerProfile(IReadOnlyList<IPreFilterPlugin> preFilters, IReadOnlyList<IFilterPlugin> filters, IReadOnlyList<IScorePlugin> scorers)
{
    public IReadOnlyList<IPreFilterPlugin> PreFilters { get; } = preFilters;

    public IReadOnlyList<IFilterPlugin> Filters { get; } = filters;

    public IReadOnlyList<IScorePlugin> Scorers { get; } = scorers;

    /// <param name="volumes">Claims and volumes for the VolumeBinding plugin; null leaves it out (pods with claims then schedule as if they had none).</param>
    public static SchedulerProfile Default(IVolumeLister? volumes = null)
    {
        var taints = new TaintToleration();
        var nodeAffinity = new NodeAffinity();
        var spread = new PodTopologySpread();
        var interPod = new InterPodAffinity();
        IPreFilterPlugin[] preFilters = [spread, interPod];
        IFilterPlugin[] filters = [new NodeUnschedulable(), new NodeName(), taints, nodeAffinity, new NodePorts(), new NodeResourcesFit(), spread, interPod];
        if (volumes is not null)
        {
            var binding = new VolumeBinding(volumes);
            preFilters = [binding, .. preFilters];
            filters = [.. filters, binding];
        }

        return new SchedulerProfile(
            preFilters,
            filters,
            [taints, nodeAffinity, spread, new LeastAllocated(), new BalancedAllocation()]);
    }
}
