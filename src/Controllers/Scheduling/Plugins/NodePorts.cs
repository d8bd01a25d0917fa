using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>A pod's host ports must not collide with ports already taken on the node (same protocol and port, overlapping IP).</summary>
internal sealed class NodePorts : IFilterPlugin
{
    public const string Reason = "node(s) didn't have free ports for the requested pod ports";

    private static readonly FilterStatus Conflict = new(Reason);

    public string Name => "NodePorts";

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (pod.HostPorts.IsEmpty || node.UsedPorts.IsEmpty)
        {
            return null;
        }

        foreach (var wanted in pod.HostPorts)
        {
            foreach (var used in node.UsedPorts.Keys)
            {
                if (wanted.ConflictsWith(used))
                {
                    return Conflict;
                }
            }
        }

        return null;
    }
}
