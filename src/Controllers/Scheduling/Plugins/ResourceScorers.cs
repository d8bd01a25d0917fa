using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>
/// NodeResourcesFit's default scoring strategy: prefer the node with the most cpu and memory left
/// after the pod, counting upstream's non-zero defaults for containers without requests.
/// </summary>
internal sealed class LeastAllocated : IScorePlugin
{
    public string Name => "NodeResourcesLeastAllocated";

    public int Weight => 1;

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var cpu = Free(node.NonZeroMilliCpu + pod.NonZeroMilliCpu, node.Allocatable.MilliCpu);
        var memory = Free(node.NonZeroMemory + pod.NonZeroMemory, node.Allocatable.Memory);
        return (cpu + memory) / 2;
    }

    private static long Free(long requested, long capacity) =>
        capacity == 0 || requested > capacity ? 0 : (capacity - requested) * IScorePlugin.MaxNodeScore / capacity;
}

/// <summary>
/// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory fractions stay close to each
/// other after the pod: (1 − standard deviation of the fractions) × 100.
/// </summary>
internal sealed class BalancedAllocation : IScorePlugin
{
    public string Name => "NodeResourcesBalancedAllocation";

    public int Weight => 1;

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var alloc = node.Allocatable;
        if (alloc.MilliCpu == 0 || alloc.Memory == 0)
        {
            return IScorePlugin.MaxNodeScore;
        }

        var cpu = Math.Min(1.0, (double)(node.Requested.MilliCpu + pod.Requests.MilliCpu) / alloc.MilliCpu);
        var memory = Math.Min(1.0, (double)(node.Requested.Memory + pod.Requests.Memory) / alloc.Memory);
        var std = Math.Abs(cpu - memory) / 2;
        return (long)((1 - std) * IScorePlugin.MaxNodeScore);
    }
}
