using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// The HPA columns, shared by autoscaling/v2 and v1 (kube-apiserver prints both from one internal
/// type): NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.
/// </summary>
internal static class HpaCells
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
        Col.Text("Targets", "metrics contains the specifications for which to use to calculate the desired replica count."),
        Col.Text("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        Col.Text("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
        Col.Text("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        Col.Age(),
    ];

    public static object?[] Row(
        string name, string? kind, string? targetName, string targets, int? minReplicas, int maxReplicas, int currentReplicas, string age) =>
        [name, $"{kind}/{targetName}", targets, minReplicas?.ToString() ?? Cell.Unset, (long)maxReplicas, (long)currentReplicas, age];

    /// <summary>"cpu: 50%/80%, memory: 1Gi/2Gi + 1 more...": current/target per metric, at most two shown.</summary>
    public static string Targets(IList<V2MetricSpec>? specs, IList<V2MetricStatus>? statuses)
    {
        if (specs is null || specs.Count == 0)
        {
            return Cell.None;
        }

        var current = statuses ?? [];
        var shown = specs.Select((spec, i) => Target(spec, i < current.Count ? current[i] : null)).ToList();
        const int max = 2;
        return shown.Count > max
            ? $"{string.Join(", ", shown.Take(max))} + {shown.Count - max} more..."
            : string.Join(", ", shown);
    }

    // A missing current value reads "<unknown>"; a missing quantity inside a present status reads as
    // Go's nil Quantity would ("<nil>").
    private static string Target(V2MetricSpec spec, V2MetricStatus? status) => spec.Type switch
    {
        "External" when spec.External?.Target is { } t => ValueOrAverage(t, status?.External?.Current, status?.External is not null),
        "Object" when spec.ObjectProperty?.Target is { } t => ValueOrAverage(t, status?.ObjectProperty?.Current, status?.ObjectProperty is not null),
        "Pods" when spec.Pods?.Target is { } t =>
            $"{(status?.Pods is { } p ? Cell.Quantity(p.Current?.AverageValue) : Cell.Unknown)}/{Cell.Quantity(t.AverageValue)}",
        "Resource" when spec.Resource is { } r =>
            ResourceTarget(r.Name, r.Target, status?.Resource?.Current, status?.Resource is not null),
        "ContainerResource" when spec.ContainerResource is { } r =>
            ResourceTarget(r.Name, r.Target, status?.ContainerResource?.Current, status?.ContainerResource is not null),
        _ => "<unknown type>",
    };

    private static string ValueOrAverage(V2MetricTarget target, V2MetricValueStatus? current, bool hasStatus)
    {
        if (target.AverageValue is not null)
        {
            var avg = current?.AverageValue is { } a ? a.ToString() : Cell.Unknown;
            return $"{avg}/{target.AverageValue} (avg)";
        }

        var value = hasStatus ? Cell.Quantity(current?.Value) : Cell.Unknown;
        return $"{value}/{Cell.Quantity(target.Value)}";
    }

    private static string ResourceTarget(string? resource, V2MetricTarget? target, V2MetricValueStatus? current, bool hasStatus)
    {
        if (target?.AverageValue is not null)
        {
            var avg = hasStatus ? Cell.Quantity(current?.AverageValue) : Cell.Unknown;
            return $"{resource}: {avg}/{target.AverageValue}";
        }

        var utilization = current?.AverageUtilization is { } u ? $"{u}%" : Cell.Unknown;
        var goal = target?.AverageUtilization is { } g ? $"{g}%" : "<auto>";
        return $"{resource}: {utilization}/{goal}";
    }
}

internal sealed class HorizontalPodAutoscalerV2Printer : TablePrinter<V2HorizontalPodAutoscaler>
{
    public override IReadOnlyList<TableColumn> Columns => HpaCells.Columns;

    protected override object?[] Row(V2HorizontalPodAutoscaler hpa, DateTimeOffset now) => HpaCells.Row(
        Cell.Name(hpa),
        hpa.Spec?.ScaleTargetRef?.Kind,
        hpa.Spec?.ScaleTargetRef?.Name,
        HpaCells.Targets(hpa.Spec?.Metrics, hpa.Status?.CurrentMetrics),
        hpa.Spec?.MinReplicas,
        hpa.Spec?.MaxReplicas ?? 0,
        hpa.Status?.CurrentReplicas ?? 0,
        Cell.Age(hpa, now));
}

/// <summary>autoscaling/v1 only knows a CPU utilization target; it prints as the one Resource metric it converts to.</summary>
internal sealed class HorizontalPodAutoscalerV1Printer : TablePrinter<V1HorizontalPodAutoscaler>
{
    public override IReadOnlyList<TableColumn> Columns => HpaCells.Columns;

    protected override object?[] Row(V1HorizontalPodAutoscaler hpa, DateTimeOffset now)
    {
        List<V2MetricSpec> specs = hpa.Spec?.TargetCPUUtilizationPercentage is { } target
            ? [new() { Type = "Resource", Resource = new() { Name = "cpu", Target = new() { Type = "Utilization", AverageUtilization = target } } }]
            : [];
        List<V2MetricStatus> statuses = hpa.Status?.CurrentCPUUtilizationPercentage is { } current
            ? [new() { Type = "Resource", Resource = new() { Name = "cpu", Current = new() { AverageUtilization = current } } }]
            : [];

        return HpaCells.Row(
            Cell.Name(hpa),
            hpa.Spec?.ScaleTargetRef?.Kind,
            hpa.Spec?.ScaleTargetRef?.Name,
            HpaCells.Targets(specs, statuses),
            hpa.Spec?.MinReplicas,
            hpa.Spec?.MaxReplicas ?? 0,
            hpa.Status?.CurrentReplicas ?? 0,
            Cell.Age(hpa, now));
    }
}
