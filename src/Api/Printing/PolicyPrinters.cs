using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE; an unset bound reads N/A.</summary>
internal sealed class PodDisruptionBudgetPrinter : TablePrinter<V1PodDisruptionBudget>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Min Available", "The minimum number of pods that must be available"),
        Col.Text("Max Unavailable", "The maximum number of pods that may be unavailable"),
        Col.Integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time"),
        Col.Age(),
    ];

    protected override object?[] Row(V1PodDisruptionBudget pdb, DateTimeOffset now) =>
    [
        Cell.Name(pdb),
        pdb.Spec?.MinAvailable?.Value ?? "N/A",
        pdb.Spec?.MaxUnavailable?.Value ?? "N/A",
        (long)(pdb.Status?.DisruptionsAllowed ?? 0),
        Cell.Age(pdb, now),
    ];
}

/// <summary>NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY.</summary>
internal sealed class PriorityClassPrinter : TablePrinter<V1PriorityClass>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Integer("Value", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
        Col.Boolean("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`."),
        Col.Age(),
        Col.Text("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority."),
    ];

    protected override object?[] Row(V1PriorityClass pc, DateTimeOffset now) =>
        [Cell.Name(pc), (long)(pc.Value ?? 0), pc.GlobalDefault == true, Cell.Age(pc, now), pc.PreemptionPolicy ?? ""];
}
