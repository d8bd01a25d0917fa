using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class AppsPrinterTests
{
    [Fact]
    public void DeploymentMidRollout_ShowsReadyOfDesiredAndUpdatedCounts()
    {
        var deploy = new V1Deployment
        {
            Metadata = Meta("web", ageMinutes: 45),
            Spec = new()
            {
                Replicas = 3,
                Selector = new()
                {
                    MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
                    MatchExpressions = [new() { Key = "env", OperatorProperty = "In", Values = ["prod", "canary"] }],
                },
                Template = Template(("nginx", "nginx:1.27"), ("exporter", "prom/nginx-exporter:1.3")),
            },
            Status = new() { Replicas = 4, ReadyReplicas = 2, UpdatedReplicas = 1, AvailableReplicas = 2 },
        };

        var printer = new DeploymentPrinter();

        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"], printer.Columns.Select(c => c.Name));
        Assert.Equal(
            ["web", "2/3", 1L, 2L, "45m", "nginx,exporter", "nginx:1.27,prom/nginx-exporter:1.3", "app=web,env in (canary,prod)"],
            printer.Cells(deploy, Now));
    }

    [Fact]
    public void NewDeployment_HasZeroCountsAndAnEmptySelectorPrintsEmpty()
    {
        var deploy = new V1Deployment { Metadata = Meta("d"), Spec = new() { Replicas = 2, Selector = new(), Template = Template() } };

        Assert.Equal(["d", "0/2", 0L, 0L, "10m", "", "", ""], new DeploymentPrinter().Cells(deploy, Now));
    }

    [Fact]
    public void ReplicaSet_PrintsIntegerCounts()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = Meta("web-5d9c"),
            Spec = new() { Replicas = 3, Selector = MatchLabels(("app", "web"), ("pod-template-hash", "5d9c")), Template = Template(("nginx", "nginx")) },
            Status = new() { Replicas = 3, ReadyReplicas = 1 },
        };

        Assert.Equal(["web-5d9c", 3L, 3L, 1L, "10m", "nginx", "nginx", "app=web,pod-template-hash=5d9c"], new ReplicaSetPrinter().Cells(rs, Now));
    }

    [Fact]
    public void StatefulSet_ShowsReadyOfDesired()
    {
        var sts = new V1StatefulSet { Metadata = Meta("db"), Spec = new() { Replicas = 3, Template = Template(("pg", "postgres:17")) }, Status = new() { ReadyReplicas = 2 } };

        Assert.Equal(["db", "2/3", "10m", "pg", "postgres:17"], new StatefulSetPrinter().Cells(sts, Now));
    }

    [Fact]
    public void DaemonSet_ShowsNodeSelectorAndCounts()
    {
        var template = Template(("agent", "fluent-bit:3"));
        template.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" };
        var ds = new V1DaemonSet
        {
            Metadata = Meta("logs"),
            Spec = new() { Selector = MatchLabels(("app", "logs")), Template = template },
            Status = new() { DesiredNumberScheduled = 3, CurrentNumberScheduled = 3, NumberReady = 2, UpdatedNumberScheduled = 3, NumberAvailable = 2 },
        };

        Assert.Equal(
            ["logs", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "10m", "agent", "fluent-bit:3", "app=logs"],
            new DaemonSetPrinter().Cells(ds, Now));
    }

    [Fact]
    public void ControllerRevision_NamesItsControllerWithGroup()
    {
        var cr = new V1ControllerRevision
        {
            Metadata = Meta("db-7f8b"),
            Revision = 2,
        };
        cr.Metadata.OwnerReferences =
        [
            new() { ApiVersion = "v1", Kind = "Pod", Name = "other", Uid = "1" },
            new() { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "db", Uid = "2", Controller = true },
        ];

        Assert.Equal(["db-7f8b", "statefulset.apps/db", 2L, "10m"], new ControllerRevisionPrinter().Cells(cr, Now));
        Assert.Equal("<none>", new ControllerRevisionPrinter().Cells(new V1ControllerRevision { Metadata = Meta("x") }, Now)[1]);
    }
}
