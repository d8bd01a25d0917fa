using k8s;
using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// Turns one object of a kind into the cells of a Table row, the way kube-apiserver does for
/// <c>kubectl get</c>. The server always prints the wide form; kubectl hides priority-1 columns itself.
/// </summary>
public interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>
    /// One cell per column, in column order. Cells are strings, <see cref="long"/> integers, the odd
    /// <see cref="bool"/> where kube-apiserver prints one, or null. Ages are computed against
    /// <paramref name="now"/>, so a caller pins the clock once per response.
    /// </summary>
    /// <exception cref="ArgumentException">The object is not of the kind this printer serves.</exception>
    IReadOnlyList<object?> Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now);
}
