using k8s;
using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>Base of the per-kind printers: checks the object's type once and hands over a typed one.</summary>
internal abstract class TablePrinter<T> : ITablePrinter
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public abstract IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<object?> Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now) =>
        obj is T typed
            ? Row(typed, now)
            : throw new ArgumentException($"{GetType().Name} prints {typeof(T).Name}, not {obj.GetType().Name}.", nameof(obj));

    protected abstract object?[] Row(T obj, DateTimeOffset now);
}
