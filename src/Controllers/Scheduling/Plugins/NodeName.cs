using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>A pod that names its node fits only that node.</summary>
internal sealed class NodeName : IFilterPlugin
{
    public const string Reason = "node(s) didn't match the requested node name";

    private static readonly FilterStatus Mismatch = new(Reason) { Unresolvable = true };

    public string Name => "NodeName";

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        string.IsNullOrEmpty(pod.Pod.Spec?.NodeName) || pod.Pod.Spec.NodeName == node.Name ? null : Mismatch;
}
