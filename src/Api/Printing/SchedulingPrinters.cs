using k8s.Models;

namespace KubeWeb.Api.Printing;

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
