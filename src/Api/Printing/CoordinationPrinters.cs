using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>NAME HOLDER AGE.</summary>
internal sealed class LeasePrinter : TablePrinter<V1Lease>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Holder", "holderIdentity contains the identity of the holder of a current lease."),
        Col.Age(),
    ];

    protected override object?[] Row(V1Lease lease, DateTimeOffset now) =>
        [Cell.Name(lease), lease.Spec?.HolderIdentity ?? "", Cell.Age(lease, now)];
}
