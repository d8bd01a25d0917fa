using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class RbacAndCoordinationPrinterTests
{
    [Fact]
    public void RoleBinding_GroupsSubjectsByKind()
    {
        var rb = new V1RoleBinding
        {
            Metadata = Meta("viewers"),
            RoleRef = new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects =
            [
                new() { Kind = "User", Name = "alice" },
                new() { Kind = "ServiceAccount", Name = "default", NamespaceProperty = "kube-system" },
                new() { Kind = "Group", Name = "devs" },
                new() { Kind = "User", Name = "bob" },
            ],
        };

        var printer = new RoleBindingPrinter();

        Assert.Equal(["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"], printer.Columns.Select(c => c.Name));
        Assert.Equal(["viewers", "ClusterRole/view", "10m", "alice, bob", "devs", "kube-system/default"], printer.Cells(rb, Now));
    }

    [Fact]
    public void ClusterRoleBinding_WithoutSubjects()
    {
        var crb = new V1ClusterRoleBinding { Metadata = Meta("admin", ns: null), RoleRef = new() { Kind = "ClusterRole", Name = "cluster-admin" } };

        Assert.Equal(["admin", "ClusterRole/cluster-admin", "10m", "", "", ""], new ClusterRoleBindingPrinter().Cells(crb, Now));
    }

    [Fact]
    public void Lease_ShowsHolder()
    {
        var lease = new V1Lease { Metadata = Meta("kube-scheduler"), Spec = new() { HolderIdentity = "cp-1_6f1c" } };

        Assert.Equal(["kube-scheduler", "cp-1_6f1c", "10m"], new LeasePrinter().Cells(lease, Now));
        Assert.Equal(["l", "", "10m"], new LeasePrinter().Cells(new V1Lease { Metadata = Meta("l") }, Now));
    }
}
