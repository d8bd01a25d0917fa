using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// The binding columns: NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS. Roles and ClusterRoles have no
/// columns of their own and print with the default table.
/// </summary>
internal static class BindingCells
{
    public static IReadOnlyList<TableColumn> ColumnsFor(string what) =>
    [
        Col.Name(),
        Col.Text("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
        Col.Age(),
        Col.Wide("Users", $"Users in the {what}"),
        Col.Wide("Groups", $"Groups in the {what}"),
        Col.Wide("ServiceAccounts", $"ServiceAccounts in the {what}"),
    ];

    public static object?[] Row(string name, V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, string age)
    {
        var all = subjects ?? [];
        string Join(IEnumerable<string> items) => string.Join(", ", items);
        return
        [
            name,
            $"{roleRef?.Kind}/{roleRef?.Name}",
            age,
            Join(all.Where(s => s.Kind == "User").Select(s => s.Name)),
            Join(all.Where(s => s.Kind == "Group").Select(s => s.Name)),
            Join(all.Where(s => s.Kind == "ServiceAccount").Select(s => $"{s.NamespaceProperty}/{s.Name}")),
        ];
    }
}

internal sealed class RoleBindingPrinter : TablePrinter<V1RoleBinding>
{
    public override IReadOnlyList<TableColumn> Columns { get; } = BindingCells.ColumnsFor("roleBinding");

    protected override object?[] Row(V1RoleBinding rb, DateTimeOffset now) =>
        BindingCells.Row(Cell.Name(rb), rb.RoleRef, rb.Subjects, Cell.Age(rb, now));
}

internal sealed class ClusterRoleBindingPrinter : TablePrinter<V1ClusterRoleBinding>
{
    public override IReadOnlyList<TableColumn> Columns { get; } = BindingCells.ColumnsFor("clusterRoleBinding");

    protected override object?[] Row(V1ClusterRoleBinding crb, DateTimeOffset now) =>
        BindingCells.Row(Cell.Name(crb), crb.RoleRef, crb.Subjects, Cell.Age(crb, now));
}
