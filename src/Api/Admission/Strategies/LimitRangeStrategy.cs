using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>core/v1 LimitRanges: known item types and min ≤ defaultRequest ≤ default ≤ max per resource.</summary>
public sealed class LimitRangeStrategy : KubeStrategy<V1LimitRange>
{
    public LimitRangeStrategy()
        : base("limitranges")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1LimitRange obj)
    {
        var errors = new List<FieldError>();
        var i = 0;
        foreach (var item in obj.Spec?.Limits ?? [])
        {
            var at = Checks.Index("spec.limits", i++);
            errors.AddRange(Checks.OneOf(item.Type, at + ".type", "Container", "Pod", "PersistentVolumeClaim"));
            if (item.Type == "Pod")
            {
                if (item.DefaultProperty is { Count: > 0 })
                {
                    errors.Add(FieldError.Forbidden(at + ".default", "may not be specified when `type` is 'Pod'"));
                }

                if (item.DefaultRequest is { Count: > 0 })
                {
                    errors.Add(FieldError.Forbidden(at + ".defaultRequest", "may not be specified when `type` is 'Pod'"));
                }
            }

            foreach (var (field, list) in new[] { ("min", item.Min), ("max", item.Max), ("default", item.DefaultProperty), ("defaultRequest", item.DefaultRequest), ("maxLimitRequestRatio", item.MaxLimitRequestRatio) })
            {
                errors.AddRange(ResourceLists.Validate(list, $"{at}.{field}"));
            }

            Order(item.Min, "min", item.Max, "max", at, errors);
            Order(item.Min, "min", item.DefaultRequest, "default request", at, errors, path: "defaultRequest");
            Order(item.Min, "min", item.DefaultProperty, "default", at, errors, path: "default");
            Order(item.DefaultRequest, "default request", item.Max, "max", at, errors, path: "defaultRequest");
            Order(item.DefaultProperty, "default", item.Max, "max", at, errors, path: "default");
            Order(item.DefaultRequest, "default request", item.DefaultProperty, "default limit", at, errors, path: "defaultRequest");
        }

        return errors;
    }

    /// <summary>Reports each resource where <paramref name="low"/> exceeds <paramref name="high"/>.</summary>
    private static void Order(
        IDictionary<string, ResourceQuantity>? low, string lowName,
        IDictionary<string, ResourceQuantity>? high, string highName,
        string at, List<FieldError> errors, string path = "min")
    {
        foreach (var (resource, lowValue) in low ?? new Dictionary<string, ResourceQuantity>())
        {
            if (high is not null && high.TryGetValue(resource, out var highValue) && lowValue.ToDecimal() > highValue.ToDecimal())
            {
                errors.Add(FieldError.Invalid(Checks.Key($"{at}.{path}", resource), lowValue.ToString(),
                    $"{lowName} value {lowValue} is greater than {highName} value {highValue}"));
            }
        }
    }
}
