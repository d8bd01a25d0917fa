using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES.</summary>
internal sealed class PodPrinter : TablePrinter<V1Pod>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        Col.Text("Status", "The aggregate status of the containers in this pod."),
        Col.Text("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Col.Age(),
        Col.Wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
        Col.Wide("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName."),
        Col.Wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."),
        Col.Wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\"."),
    ];

    protected override object?[] Row(V1Pod pod, DateTimeOffset now)
    {
        var s = PodStatusSummary.Of(pod);
        var restarts = s.Restarts != 0 && !Cell.IsZero(s.LastRestart)
            ? $"{s.Restarts} ({Cell.Since(s.LastRestart, now)} ago)"
            : s.Restarts.ToString();

        return
        [
            Cell.Name(pod),
            $"{s.Ready}/{s.Total}",
            s.Reason,
            restarts,
            Cell.Age(pod, now),
            Cell.OrNone(pod.Status?.PodIPs?.FirstOrDefault()?.Ip),
            Cell.OrNone(pod.Spec?.NodeName),
            Cell.OrNone(pod.Status?.NominatedNodeName),
            ReadinessGates(pod),
        ];
    }

    private static string ReadinessGates(V1Pod pod)
    {
        var gates = pod.Spec?.ReadinessGates ?? [];
        if (gates.Count == 0)
        {
            return Cell.None;
        }

        var conditions = pod.Status?.Conditions ?? [];
        var met = gates.Count(g => conditions.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
        return $"{met}/{gates.Count}";
    }
}
