using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>coordination.k8s.io/v1 Leases: positive duration, non-negative transitions.</summary>
public sealed class LeaseStrategy : KubeStrategy<V1Lease>
{
    public LeaseStrategy()
        : base("coordination.k8s.io/leases")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Lease obj)
    {
        if (obj.Spec?.LeaseDurationSeconds is { } duration && duration <= 0)
        {
            yield return FieldError.Invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
        }

        if (obj.Spec?.LeaseTransitions is { } transitions && transitions < 0)
        {
            yield return FieldError.Invalid("spec.leaseTransitions", transitions, Checks.NonNegative);
        }

        if (obj.Spec?.PreferredHolder is { Length: > 0 } && string.IsNullOrEmpty(obj.Spec.Strategy))
        {
            yield return FieldError.Forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined");
        }
    }
}
