using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>apps/v1 DaemonSets: rolling update one node at a time by default, selector immutable.</summary>
public sealed class DaemonSetStrategy : KubeStrategy<V1DaemonSet>
{
    public DaemonSetStrategy()
        : base("apps/daemonsets")
    {
    }

    protected override void Default(V1DaemonSet obj)
    {
        var spec = obj.Spec ??= new V1DaemonSetSpec();
        spec.UpdateStrategy ??= new V1DaemonSetUpdateStrategy();
        spec.UpdateStrategy.Type ??= "RollingUpdate";
        if (spec.UpdateStrategy.Type == "RollingUpdate")
        {
            spec.UpdateStrategy.RollingUpdate ??= new V1RollingUpdateDaemonSet();
            spec.UpdateStrategy.RollingUpdate.MaxUnavailable ??= 1;
            spec.UpdateStrategy.RollingUpdate.MaxSurge ??= 0;
        }

        spec.RevisionHistoryLimit ??= 10;
        PodTemplateRules.Default(spec.Template);
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1DaemonSet obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        errors.AddRange(Checks.NotNegative(spec.MinReadySeconds, "spec.minReadySeconds"));
        errors.AddRange(Checks.NotNegative(spec.RevisionHistoryLimit, "spec.revisionHistoryLimit"));
        errors.AddRange(PodTemplateRules.ValidateSelector(spec.Selector, spec.Template, "spec", "empty selector is invalid for daemonset"));
        errors.AddRange(PodTemplateRules.Validate(spec.Template, "spec.template"));
        errors.AddRange(PodTemplateRules.ValidateForLongRunning(spec.Template, "spec.template", "DaemonSet"));
        switch (spec.UpdateStrategy?.Type)
        {
            case "OnDelete":
                break;
            case "RollingUpdate":
                var rolling = spec.UpdateStrategy.RollingUpdate;
                errors.AddRange(PodTemplateRules.ValidateIntOrPercent(rolling?.MaxUnavailable, "spec.updateStrategy.rollingUpdate.maxUnavailable", atMost100: true));
                errors.AddRange(PodTemplateRules.ValidateIntOrPercent(rolling?.MaxSurge, "spec.updateStrategy.rollingUpdate.maxSurge", atMost100: true));
                if (PodTemplateRules.IsZero(rolling?.MaxUnavailable) && PodTemplateRules.IsZero(rolling?.MaxSurge))
                {
                    errors.Add(FieldError.Invalid("spec.updateStrategy.rollingUpdate.maxUnavailable", rolling?.MaxUnavailable?.Value ?? "0", "may not be 0 when `maxSurge` is 0"));
                }

                break;
            default:
                errors.Add(FieldError.NotSupported("spec.updateStrategy.type", spec.UpdateStrategy?.Type ?? "", ["OnDelete", "RollingUpdate"]));
                break;
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1DaemonSet obj, V1DaemonSet old) =>
        ValidateCreate(obj).Concat(Checks.ImmutableField(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector"));
}
