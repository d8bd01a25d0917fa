using k8s.Models;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>core/v1 ResourceQuotas: resource names, non-negative amounts, known scopes.</summary>
public sealed class ResourceQuotaStrategy : KubeStrategy<V1ResourceQuota>
{
    private static readonly string[] Scopes =
        ["BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating", "VolumeAttributesClass"];

    public ResourceQuotaStrategy()
        : base("resourcequotas")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1ResourceQuota obj)
    {
        var errors = ResourceLists.Validate(obj.Spec?.Hard, "spec.hard").ToList();
        foreach (var scope in obj.Spec?.Scopes ?? [])
        {
            if (!Scopes.Contains(scope))
            {
                errors.Add(FieldError.NotSupported("spec.scopes", scope, Scopes));
            }
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateStatusUpdate(V1ResourceQuota obj, V1ResourceQuota old) =>
        ResourceLists.Validate(obj.Status?.Hard, "status.hard").Concat(ResourceLists.Validate(obj.Status?.Used, "status.used"));
}

/// <summary>Checks for a map of resource name to quantity (quota hard limits, limit ranges).</summary>
internal static class ResourceLists
{
    public static IEnumerable<FieldError> Validate(IDictionary<string, ResourceQuantity>? list, string path)
    {
        foreach (var (name, quantity) in list ?? new Dictionary<string, ResourceQuantity>())
        {
            var at = Checks.Key(path, name);
            if (!NameValidation.IsQualifiedName(name, out var error))
            {
                yield return FieldError.Invalid(at, name, error!);
            }

            if (quantity is not null && quantity.ToDecimal() < 0)
            {
                yield return FieldError.Invalid(at, quantity.ToString(), Checks.NonNegative);
            }
        }
    }
}
