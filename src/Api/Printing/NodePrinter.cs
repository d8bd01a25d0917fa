using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.
/// STATUS is Ready/NotReady/Unknown from the Ready condition, plus ",SchedulingDisabled" when cordoned.
/// </summary>
internal sealed class NodePrinter : TablePrinter<V1Node>
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Status", "The status of the node"),
        Col.Text("Roles", "The roles of the node"),
        Col.Age(),
        Col.Text("Version", "Kubelet Version reported by the node."),
        Col.Wide("Internal-IP", "List of addresses reachable to the node."),
        Col.Wide("External-IP", "List of addresses reachable to the node."),
        Col.Wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        Col.Wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        Col.Wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    protected override object?[] Row(V1Node node, DateTimeOffset now)
    {
        var info = node.Status?.NodeInfo;
        return
        [
            Cell.Name(node),
            Status(node),
            Roles(node),
            Cell.Age(node, now),
            info?.KubeletVersion ?? "",
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(info?.OsImage),
            OrUnknown(info?.KernelVersion),
            OrUnknown(info?.ContainerRuntimeVersion),
        ];
    }

    private static string Status(V1Node node)
    {
        // With duplicate conditions the last one wins, as in a map keyed by type.
        var ready = node.Status?.Conditions?.LastOrDefault(c => c.Type == "Ready");
        var status = ready is null ? "Unknown" : ready.Status == "True" ? "Ready" : "NotReady";
        return node.Spec?.Unschedulable == true ? status + ",SchedulingDisabled" : status;
    }

    private static string Roles(V1Node node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && key.Length > RoleLabelPrefix.Length)
            {
                roles.Add(key[RoleLabelPrefix.Length..]);
            }
            else if (key == LegacyRoleLabel && value.Length > 0)
            {
                roles.Add(value);
            }
        }

        return roles.Count == 0 ? Cell.None : string.Join(",", roles);
    }

    private static string Address(V1Node node, string type) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == type)?.Address ?? Cell.None;

    private static string OrUnknown(string? s) => string.IsNullOrEmpty(s) ? Cell.Unknown : s;
}
