using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// policy/v1 PodDisruptionBudgets: at most one of minAvailable and maxUnavailable, each a
/// non-negative count or a percentage of at most 100%, a valid selector (empty selects every pod of
/// the namespace), a known unhealthy-pod eviction policy; the status counts are never negative.
/// </summary>
public sealed class PodDisruptionBudgetStrategy : KubeStrategy<V1PodDisruptionBudget>
{
    public const string IfHealthyBudget = "IfHealthyBudget";
    public const string AlwaysAllow = "AlwaysAllow";

    public PodDisruptionBudgetStrategy()
        : base("policy/poddisruptionbudgets")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1PodDisruptionBudget obj)
    {
        var errors = new List<FieldError>();
        var spec = obj.Spec ?? new V1PodDisruptionBudgetSpec();
        if (spec.MinAvailable is not null && spec.MaxUnavailable is not null)
        {
            errors.Add(FieldError.Invalid("spec", $"{{minAvailable: {spec.MinAvailable.Value}, maxUnavailable: {spec.MaxUnavailable.Value}}}",
                "minAvailable and maxUnavailable cannot be both set"));
        }

        errors.AddRange(PodTemplateRules.ValidateIntOrPercent(spec.MinAvailable, "spec.minAvailable", atMost100: true));
        errors.AddRange(PodTemplateRules.ValidateIntOrPercent(spec.MaxUnavailable, "spec.maxUnavailable", atMost100: true));
        if (spec.Selector is { } selector)
        {
            errors.AddRange(Checks.LabelSelector(selector, "spec.selector"));
        }

        if (spec.UnhealthyPodEvictionPolicy is { } policy)
        {
            errors.AddRange(Checks.OneOf(policy, "spec.unhealthyPodEvictionPolicy", AlwaysAllow, IfHealthyBudget));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateStatusUpdate(V1PodDisruptionBudget obj, V1PodDisruptionBudget old)
    {
        var status = obj.Status ?? new V1PodDisruptionBudgetStatus();
        return Checks.NotNegative(status.DisruptionsAllowed, "status.disruptionsAllowed")
            .Concat(Checks.NotNegative(status.CurrentHealthy, "status.currentHealthy"))
            .Concat(Checks.NotNegative(status.DesiredHealthy, "status.desiredHealthy"))
            .Concat(Checks.NotNegative(status.ExpectedPods, "status.expectedPods"));
    }
}
