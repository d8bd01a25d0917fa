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
