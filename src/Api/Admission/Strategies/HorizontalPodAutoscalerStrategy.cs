using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// autoscaling/v2 HorizontalPodAutoscalers (v1 is served from the same storage): one replica and
/// 80% CPU by default, upstream's scaling behavior filled in when a behavior is given.
/// </summary>
public sealed class HorizontalPodAutoscalerStrategy : KubeStrategy<V2HorizontalPodAutoscaler>
{
    public const int DefaultCpuUtilization = 80;
    private static readonly string[] MetricTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];

    public HorizontalPodAutoscalerStrategy()
        : base("autoscaling/horizontalpodautoscalers")
    {
    }

    protected override void Default(V2HorizontalPodAutoscaler obj)
    {
        var spec = obj.Spec ??= new V2HorizontalPodAutoscalerSpec();
        spec.MinReplicas ??= 1;
        if (spec.Metrics is not { Count: > 0 })
        {
            spec.Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = DefaultCpuUtilization },
                    },
                },
            ];
        }

        if (spec.Behavior is { } behavior)
        {
            behavior.ScaleUp = Fill(behavior.ScaleUp, 0, [new() { Type = "Pods", Value = 4, PeriodSeconds = 15 }, new() { Type = "Percent", Value = 100, PeriodSeconds = 15 }]);
            behavior.ScaleDown = Fill(behavior.ScaleDown, 300, [new() { Type = "Percent", Value = 100, PeriodSeconds = 15 }]);
        }
    }

    protected override IEnumerable<FieldError> ValidateCreate(V2HorizontalPodAutoscaler obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        if (spec.ScaleTargetRef is not { } target)
        {
            errors.Add(FieldError.Required("spec.scaleTargetRef"));
        }
        else
        {
            errors.AddRange(Checks.Name(target.Kind, "spec.scaleTargetRef.kind", NameRules.PathSegment));
            errors.AddRange(Checks.Name(target.Name, "spec.scaleTargetRef.name", NameRules.PathSegment));
        }

        if (spec.MinReplicas is { } min && min < 1)
        {
            errors.Add(FieldError.Invalid("spec.minReplicas", min, "must be greater than or equal to 1"));
        }

        if (spec.MaxReplicas < 1)
        {
            errors.Add(FieldError.Invalid("spec.maxReplicas", spec.MaxReplicas, "must be greater than 0"));
        }

        if (spec.MinReplicas is { } lower && spec.MaxReplicas < lower)
        {
            errors.Add(FieldError.Invalid("spec.maxReplicas", spec.MaxReplicas, "must be greater than or equal to `minReplicas`"));
        }

        var i = 0;
        foreach (var metric in spec.Metrics ?? [])
        {
            ValidateMetric(metric, Checks.Index("spec.metrics", i++), errors);
        }

        if (spec.Behavior is { } behavior)
        {
            ValidateRules(behavior.ScaleUp, "spec.behavior.scaleUp", errors);
            ValidateRules(behavior.ScaleDown, "spec.behavior.scaleDown", errors);
        }

        return errors;
    }

    private static V2HPAScalingRules Fill(V2HPAScalingRules? rules, int window, List<V2HPAScalingPolicy> policies)
    {
        rules ??= new V2HPAScalingRules();
        rules.StabilizationWindowSeconds ??= window;
        rules.SelectPolicy ??= "Max";
        if (rules.Policies is not { Count: > 0 })
        {
            rules.Policies = policies;
        }

        return rules;
    }

    private static void ValidateMetric(V2MetricSpec metric, string at, List<FieldError> errors)
    {
        if (!MetricTypes.Contains(metric.Type))
        {
            errors.Add(FieldError.NotSupported(at + ".type", metric.Type ?? "", MetricTypes));
            return;
        }

        var (source, name, metricTarget) = metric.Type switch
        {
            "Resource" => ((object?)metric.Resource, "resource", metric.Resource?.Target),
            "ContainerResource" => (metric.ContainerResource, "containerResource", metric.ContainerResource?.Target),
            "Pods" => (metric.Pods, "pods", metric.Pods?.Target),
            "Object" => (metric.ObjectProperty, "object", metric.ObjectProperty?.Target),
            _ => (metric.External, "external", metric.External?.Target),
        };
        if (source is null)
        {
            errors.Add(FieldError.Required($"{at}.{name}", "must populate information for the given metric source"));
            return;
        }

        if (metricTarget is null)
        {
            errors.Add(FieldError.Required($"{at}.{name}.target"));
            return;
        }

        errors.AddRange(Checks.OneOf(metricTarget.Type, $"{at}.{name}.target.type", "Utilization", "Value", "AverageValue"));
        if (metricTarget.AverageUtilization is { } utilization && utilization < 1)
        {
            errors.Add(FieldError.Invalid($"{at}.{name}.target.averageUtilization", utilization, "must be greater than 0"));
        }
    }

    private static void ValidateRules(V2HPAScalingRules? rules, string at, List<FieldError> errors)
    {
        if (rules is null)
        {
            return;
        }

        if (rules.StabilizationWindowSeconds is { } window && (window < 0 || window > 3600))
        {
            errors.Add(FieldError.Invalid(at + ".stabilizationWindowSeconds", window, window < 0 ? Checks.NonNegative : "must be less than or equal to 3600"));
        }

        if (rules.SelectPolicy is { } select && select is not ("Disabled" or "Max" or "Min"))
        {
            errors.Add(FieldError.NotSupported(at + ".selectPolicy", select, ["Disabled", "Max", "Min"]));
        }

        var i = 0;
        foreach (var policy in rules.Policies ?? [])
        {
            var p = Checks.Index(at + ".policies", i++);
            errors.AddRange(Checks.OneOf(policy.Type, p + ".type", "Percent", "Pods"));
            if (policy.Value <= 0)
            {
                errors.Add(FieldError.Invalid(p + ".value", policy.Value, "must be greater than zero"));
            }

            if (policy.PeriodSeconds <= 0 || policy.PeriodSeconds > 1800)
            {
                errors.Add(FieldError.Invalid(p + ".periodSeconds", policy.PeriodSeconds,
                    policy.PeriodSeconds <= 0 ? "must be greater than zero" : "must be less than or equal to 1800"));
            }
        }
    }
}
