using k8s.Models;
using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>A cordoned node (spec.unschedulable) takes only pods tolerating node.kubernetes.io/unschedulable:NoSchedule.</summary>
internal sealed class NodeUnschedulable : IFilterPlugin
{
    public const string Reason = "node(s) were unschedulable";

    private static readonly FilterStatus Cordoned = new(Reason) { Unresolvable = true };

    private static readonly V1Taint UnschedulableTaint = new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" };

    public string Name => "NodeUnschedulable";

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        !node.Unschedulable || Tolerations.AnyTolerates(pod.Tolerations, UnschedulableTaint) ? null : Cordoned;
}
