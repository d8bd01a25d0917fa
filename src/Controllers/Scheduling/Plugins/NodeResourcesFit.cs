using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>
/// The pod's requests (cpu, memory, ephemeral-storage, extended resources, and one pod slot) must
/// fit in the node's allocatable minus what the pods on it (bound or assumed) request. Every
/// resource that does not fit is its own reason, as upstream.
/// </summary>
internal sealed class NodeResourcesFit : IFilterPlugin
{
    public const string TooManyPods = "Too many pods";

    private static readonly FilterStatus PodsFull = new(TooManyPods);
    private static readonly FilterStatus NoCpu = new("Insufficient cpu");
    private static readonly FilterStatus NoMemory = new("Insufficient memory");

    public string Name => "NodeResourcesFit";

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        List<string>? reasons = null;
        if (node.PodCount + 1 > node.AllowedPodNumber)
        {
            (reasons ??= []).Add(TooManyPods);
        }

        var want = pod.Requests;
        var have = node.Allocatable;
        var used = node.Requested;
        if (want.MilliCpu > 0 && want.MilliCpu > have.MilliCpu - used.MilliCpu)
        {
            (reasons ??= []).Add("Insufficient cpu");
        }

        if (want.Memory > 0 && want.Memory > have.Memory - used.Memory)
        {
            (reasons ??= []).Add("Insufficient memory");
        }

        if (want.EphemeralStorage > 0 && want.EphemeralStorage > have.EphemeralStorage - used.EphemeralStorage)
        {
            (reasons ??= []).Add("Insufficient ephemeral-storage");
        }

        foreach (var (name, amount) in want.Scalars)
        {
            if (amount > 0 && amount > have.Scalar(name) - used.Scalar(name))
            {
                (reasons ??= []).Add("Insufficient " + name);
            }
        }

        return reasons switch
        {
            null => null,
            [TooManyPods] => PodsFull,
            ["Insufficient cpu"] => NoCpu,
            ["Insufficient memory"] => NoMemory,
            _ => new FilterStatus([.. reasons]),
        };
    }
}
