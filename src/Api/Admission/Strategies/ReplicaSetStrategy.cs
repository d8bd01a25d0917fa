using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>apps/v1 ReplicaSets: one replica by default, selector immutable, status.replicas selectable.</summary>
public sealed class ReplicaSetStrategy : KubeStrategy<V1ReplicaSet>
{
    public ReplicaSetStrategy()
        : base("apps/replicasets")
    {
    }

    protected override void Default(V1ReplicaSet obj)
    {
        obj.Spec ??= new V1ReplicaSetSpec();
        obj.Spec.Replicas ??= 1;
        PodTemplateRules.Default(obj.Spec.Template);
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1ReplicaSet obj)
    {
        if (obj.Spec is not { } spec)
        {
            return [FieldError.Required("spec")];
        }

        return Checks.NotNegative(spec.Replicas, "spec.replicas")
            .Concat(Checks.NotNegative(spec.MinReadySeconds, "spec.minReadySeconds"))
            .Concat(PodTemplateRules.ValidateSelector(spec.Selector, spec.Template, "spec", "empty selector is invalid for deployment"))
            .Concat(PodTemplateRules.Validate(spec.Template, "spec.template"))
            .Concat(PodTemplateRules.ValidateForLongRunning(spec.Template, "spec.template", "ReplicaSet"))
            .ToList();
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1ReplicaSet obj, V1ReplicaSet old) =>
        ValidateCreate(obj).Concat(Checks.ImmutableField(obj.Spec?.Selector, old.Spec?.Selector, "spec.selector"));

    protected override IEnumerable<FieldError> ValidateStatusUpdate(V1ReplicaSet obj, V1ReplicaSet old) =>
        Checks.NotNegative(obj.Status?.Replicas, "status.replicas")
            .Concat(Checks.NotNegative(obj.Status?.ReadyReplicas, "status.readyReplicas"))
            .Concat(Checks.NotNegative(obj.Status?.AvailableReplicas, "status.availableReplicas"));

    protected override string? GetField(V1ReplicaSet obj, string field) => field switch
    {
        "status.replicas" => (obj.Status?.Replicas ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
