using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class AutoscalingPrinterTests
{
    [Fact]
    public void V2_ShowsTwoTargetsAndHowManyMore()
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            Metadata = Meta("web"),
            Spec = new()
            {
                ScaleTargetRef = new() { Kind = "Deployment", Name = "web", ApiVersion = "apps/v1" },
                MinReplicas = 1,
                MaxReplicas = 10,
                Metrics =
                [
                    new() { Type = "Resource", Resource = new() { Name = "cpu", Target = new() { Type = "Utilization", AverageUtilization = 80 } } },
                    new() { Type = "Resource", Resource = new() { Name = "memory", Target = new() { Type = "AverageValue", AverageValue = new("1Gi") } } },
                    new() { Type = "Pods", Pods = new() { Metric = new() { Name = "rps" }, Target = new() { Type = "AverageValue", AverageValue = new("100") } } },
                ],
            },
            Status = new()
            {
                CurrentReplicas = 3,
                CurrentMetrics =
                [
                    new() { Type = "Resource", Resource = new() { Name = "cpu", Current = new() { AverageUtilization = 50 } } },
                    new() { Type = "Resource", Resource = new() { Name = "memory", Current = new() { AverageValue = new("512Mi") } } },
                ],
            },
        };

        var printer = new HorizontalPodAutoscalerV2Printer();

        Assert.Equal(["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"], printer.Columns.Select(c => c.Name));
        Assert.Equal(
            ["web", "Deployment/web", "cpu: 50%/80%, memory: 512Mi/1Gi + 1 more...", "1", 10L, 3L, "10m"],
            printer.Cells(hpa, Now));
    }

    [Fact]
    public void V2_WithoutMetricsOrStatus()
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            Metadata = Meta("web"),
            Spec = new()
            {
                ScaleTargetRef = new() { Kind = "StatefulSet", Name = "db" },
                MaxReplicas = 5,
                Metrics = [new() { Type = "External", External = new() { Metric = new() { Name = "queue" }, Target = new() { Type = "Value", Value = new("30") } } }],
            },
        };

        Assert.Equal(["web", "StatefulSet/db", "<unknown>/30", "<unset>", 5L, 0L, "10m"], new HorizontalPodAutoscalerV2Printer().Cells(hpa, Now));
    }

    [Fact]
    public void V1_PrintsItsCpuTargetAsAResourceMetric()
    {
        var hpa = new V1HorizontalPodAutoscaler
        {
            Metadata = Meta("web"),
            Spec = new() { ScaleTargetRef = new() { Kind = "Deployment", Name = "web" }, MaxReplicas = 4, TargetCPUUtilizationPercentage = 80 },
            Status = new() { CurrentReplicas = 2 },
        };

        Assert.Equal(["web", "Deployment/web", "cpu: <unknown>/80%", "<unset>", 4L, 2L, "10m"], new HorizontalPodAutoscalerV1Printer().Cells(hpa, Now));

        hpa.Status.CurrentCPUUtilizationPercentage = 65;
        Assert.Equal("cpu: 65%/80%", new HorizontalPodAutoscalerV1Printer().Cells(hpa, Now)[2]);
    }
}
