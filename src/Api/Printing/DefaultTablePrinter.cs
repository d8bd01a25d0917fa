using k8s;
using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// What kube-apiserver prints for kinds without their own columns (Role, ClusterRole, LimitRange, ...):
/// the name and the creation time as an RFC3339 date.
/// </summary>
internal sealed class DefaultTablePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        new("Created At", "date", "", Col.CreationTimestampDoc, 0),
    ];

    public IReadOnlyList<object?> Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now) =>
        [Cell.Name(obj), Cell.Rfc3339(obj.Metadata?.CreationTimestamp)];
}
