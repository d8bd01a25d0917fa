using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>apps/v1 Deployments: defaults, spec validation, immutable selector.</summary>
public sealed class DeploymentStrategy : KubeStrategy<V1Deployment>
{
    public DeploymentStrategy()
        : base("apps/deployments")
    {
    }

    protected override void Default(V1Deployment obj)
    {
        var spec = obj.Spec ??= new V1DeploymentSpec();
        spec.Replicas ??= 1;
        spec.Strategy ??= new V1DeploymentStrategy();
        spec.Strategy.Type ??= "RollingUpdate";
        if (spec.Strategy.Type == "RollingUpdate")
        {
            spec.Strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
            spec.Strategy.RollingUpdate.MaxUnavailable ??= "25%";
            spec.Strategy.RollingUpdate.MaxSurge ??= "25%";
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.ProgressDeadlineSeconds ??= 600;
        PodTemplateRules.Default(spec.Template);
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Deployment obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        errors.AddRange(Checks.NotNegative(spec.Replicas, "spec.replicas"));
        errors.AddRange(Checks.NotNegative(spec.MinReadySeconds, "spec.minReadySeconds"));
        errors.AddRange(Checks.NotNegative(spec.RevisionHistoryLimit, "spec.revisionHistoryLimit"));
        errors.AddRange(PodTemplateRules.ValidateSelector(spec.Selector, spec.Template, "spec", "empty selector is invalid for deployment"));
        errors.AddRange(PodTemplateRules.Validate(spec.Template, "spec.template"));
        errors.AddRange(PodTemplateRules.ValidateForLongRunning(spec.Template, "spec.template", "ReplicaSet"));
        errors.AddRange(ValidateStrategy(spec.Strategy));
        if (spec.ProgressDeadlineSeconds is { } deadline)
        {
            errors.AddRange(Checks.NotNegative(deadline, "spec.progressDeadlineSeconds"));
            if (deadline <= (spec.MinReadySeconds ?? 0))
            {
                errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
            }
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1Deployment obj, V1Deployment old) =>
        ValidateCreate(obj).Concat(Checks.ImmutableField(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector"));

    private static IEnumerable<FieldError> ValidateStrategy(V1DeploymentStrategy? strategy)
    {
        switch (strategy?.Type)
        {
            case "Recreate":
                if (strategy.RollingUpdate is not null)
                {
                    yield return FieldError.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
                }

                break;
            case "RollingUpdate":
                if (strategy.RollingUpdate is not { } rolling)
                {
                    yield return FieldError.Required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil");
                    break;
                }

                foreach (var e in PodTemplateRules.ValidateIntOrPercent(rolling.MaxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable", atMost100: true)
                             .Concat(PodTemplateRules.ValidateIntOrPercent(rolling.MaxSurge, "spec.strategy.rollingUpdate.maxSurge")))
                {
                    yield return e;
                }

                if (PodTemplateRules.IsZero(rolling.MaxUnavailable) && PodTemplateRules.IsZero(rolling.MaxSurge))
                {
                    yield return FieldError.Invalid("spec.strategy.rollingUpdate.maxUnavailable", rolling.MaxUnavailable?.Value ?? "0", "may not be 0 when `maxSurge` is 0");
                }

                break;
            default:
                yield return FieldError.NotSupported("spec.strategy.type", strategy?.Type ?? "", ["Recreate", "RollingUpdate"]);
                break;
        }
    }
}
