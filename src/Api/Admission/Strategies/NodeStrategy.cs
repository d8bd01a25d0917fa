using k8s.Models;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 Nodes. The kubelet registers a node with its status filled in, so unlike most kinds
/// the status survives create.
/// </summary>
public sealed class NodeStrategy : KubeStrategy<V1Node>
{
    public NodeStrategy()
        : base("nodes")
    {
    }

    protected override bool ResetStatusOnCreate => false;

    protected override void Default(V1Node obj)
    {
        if (obj.Status is { Capacity: { Count: > 0 } capacity } status && status.Allocatable is not { Count: > 0 })
        {
            status.Allocatable = new Dictionary<string, ResourceQuantity>(capacity);
        }
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Node obj)
    {
        var i = 0;
        foreach (var taint in obj.Spec?.Taints ?? [])
        {
            var at = Checks.Index("spec.taints", i++);
            if (string.IsNullOrEmpty(taint.Key))
            {
                yield return FieldError.Required(at + ".key");
            }
            else if (!NameValidation.IsQualifiedName(taint.Key, out var keyError))
            {
                yield return FieldError.Invalid(at + ".key", taint.Key, keyError!);
            }

            if (!NameValidation.IsLabelValue(taint.Value ?? "", out var valueError))
            {
                yield return FieldError.Invalid(at + ".value", taint.Value, valueError!);
            }

            foreach (var e in Checks.OneOf(taint.Effect, at + ".effect", "NoSchedule", "PreferNoSchedule", "NoExecute"))
            {
                yield return e;
            }
        }

        if (!string.IsNullOrEmpty(obj.Spec?.PodCIDR) && !System.Net.IPNetwork.TryParse(obj.Spec.PodCIDR, out _))
        {
            yield return FieldError.Invalid("spec.podCIDRs[0]", obj.Spec.PodCIDR, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
    }

    protected override string? GetField(V1Node obj, string field) =>
        field == "spec.unschedulable" ? (obj.Spec?.Unschedulable == true ? "true" : "false") : null;
}
