using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR.</summary>
internal sealed class DeploymentPrinter : TablePrinter<V1Deployment>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Ready", "Number of the pod with ready state"),
        Col.Text("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        Col.Text("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        Col.Age(),
        Col.Containers(),
        Col.Images(),
        Col.Selector("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
    ];

    protected override object?[] Row(V1Deployment d, DateTimeOffset now)
    {
        var (names, images) = Cell.Containers(d.Spec?.Template);
        return
        [
            Cell.Name(d),
            $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 1}",
            (long)(d.Status?.UpdatedReplicas ?? 0),
            (long)(d.Status?.AvailableReplicas ?? 0),
            Cell.Age(d, now),
            names,
            images,

            // Unlike most kinds, an empty selector prints as nothing rather than <none>.
            Cell.SelectorString(d.Spec?.Selector) ?? "<invalid>",
        ];
    }
}

/// <summary>NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR.</summary>
internal sealed class ReplicaSetPrinter : TablePrinter<V1ReplicaSet>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Integer("Desired", "Replicas is the number of desired pods."),
        Col.Integer("Current", "Replicas is the most recently observed number of non-terminating pods."),
        Col.Integer("Ready", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
        Col.Age(),
        Col.Containers(),
        Col.Images(),
        Col.Selector("Selector is a label query over pods that should match the replica count."),
    ];

    protected override object?[] Row(V1ReplicaSet rs, DateTimeOffset now)
    {
        var (names, images) = Cell.Containers(rs.Spec?.Template);
        return
        [
            Cell.Name(rs),
            (long)(rs.Spec?.Replicas ?? 1),
            (long)(rs.Status?.Replicas ?? 0),
            (long)(rs.Status?.ReadyReplicas ?? 0),
            Cell.Age(rs, now),
            names,
            images,
            Cell.Selector(rs.Spec?.Selector),
        ];
    }
}

/// <summary>NAME READY AGE, wide CONTAINERS IMAGES.</summary>
internal sealed class StatefulSetPrinter : TablePrinter<V1StatefulSet>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Ready", "Number of the pod with ready state"),
        Col.Age(),
        Col.Containers(),
        Col.Images(),
    ];

    protected override object?[] Row(V1StatefulSet sts, DateTimeOffset now)
    {
        var (names, images) = Cell.Containers(sts.Spec?.Template);
        return [Cell.Name(sts), $"{sts.Status?.ReadyReplicas ?? 0}/{sts.Spec?.Replicas ?? 1}", Cell.Age(sts, now), names, images];
    }
}

/// <summary>NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES SELECTOR.</summary>
internal sealed class DaemonSetPrinter : TablePrinter<V1DaemonSet>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
        Col.Integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
        Col.Integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
        Col.Integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
        Col.Integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        Col.Text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        Col.Age(),
        Col.Containers(),
        Col.Images(),
        Col.Selector("A label query over pods that are managed by the daemon set."),
    ];

    protected override object?[] Row(V1DaemonSet ds, DateTimeOffset now)
    {
        var status = ds.Status ?? new V1DaemonSetStatus();
        var (names, images) = Cell.Containers(ds.Spec?.Template);
        return
        [
            Cell.Name(ds),
            (long)status.DesiredNumberScheduled,
            (long)status.CurrentNumberScheduled,
            (long)status.NumberReady,
            (long)(status.UpdatedNumberScheduled ?? 0),
            (long)(status.NumberAvailable ?? 0),
            Cell.Labels(ds.Spec?.Template?.Spec?.NodeSelector),
            Cell.Age(ds, now),
            names,
            images,
            Cell.Selector(ds.Spec?.Selector),
        ];
    }
}

/// <summary>NAME CONTROLLER REVISION AGE; the controller as "kind.group/name".</summary>
internal sealed class ControllerRevisionPrinter : TablePrinter<V1ControllerRevision>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Controller", "Controller of the object"),
        Col.Text("Revision", "Revision indicates the revision of the state represented by Data."),
        Col.Age(),
    ];

    protected override object?[] Row(V1ControllerRevision cr, DateTimeOffset now) =>
        [Cell.Name(cr), Controller(cr.Metadata?.OwnerReferences), cr.Revision ?? 0L, Cell.Age(cr, now)];

    private static string Controller(IList<V1OwnerReference>? owners)
    {
        var owner = owners?.FirstOrDefault(o => o.Controller == true);
        if (owner is null)
        {
            return Cell.None;
        }

        var apiVersion = owner.ApiVersion ?? "";
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var kind = owner.Kind ?? "";
        if (group.Length == 0 && kind.Length == 0)
        {
            return owner.Name;
        }

        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return $"{groupKind.ToLowerInvariant()}/{owner.Name}";
    }
}
