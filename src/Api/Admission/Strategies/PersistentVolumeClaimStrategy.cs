using System.Text.Json.Nodes;
using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 PersistentVolumeClaims: Pending on create; after that the spec only grows its storage
/// request, and volumeName may be set once by binding.
/// </summary>
public sealed class PersistentVolumeClaimStrategy : KubeStrategy<V1PersistentVolumeClaim>
{
    private const string SpecImmutable = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

    public PersistentVolumeClaimStrategy()
        : base("persistentvolumeclaims")
    {
    }

    protected override void Default(V1PersistentVolumeClaim obj)
    {
        obj.Spec ??= new V1PersistentVolumeClaimSpec();
        obj.Spec.VolumeMode ??= "Filesystem";
    }

    protected override void PrepareForCreate(V1PersistentVolumeClaim obj) =>
        obj.Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" };

    protected override IEnumerable<FieldError> ValidateCreate(V1PersistentVolumeClaim obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        errors.AddRange(PersistentVolumeStrategy.ValidateAccessModes(spec.AccessModes, "spec.accessModes"));
        if (spec.Resources?.Requests?.TryGetValue("storage", out var storage) != true || storage is null)
        {
            errors.Add(FieldError.Required("spec.resources[storage]"));
        }
        else if (storage.ToDecimal() <= 0)
        {
            errors.Add(FieldError.Invalid("spec.resources[storage]", storage.ToString(), "must be greater than zero"));
        }

        errors.AddRange(Checks.OneOf(spec.VolumeMode, "spec.volumeMode", "Block", "Filesystem"));
        if (spec.Selector is not null)
        {
            errors.AddRange(Checks.LabelSelector(spec.Selector, "spec.selector"));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1PersistentVolumeClaim obj, V1PersistentVolumeClaim old)
    {
        var errors = ValidateCreate(obj).ToList();
        if (obj.Spec is not { } spec || old.Spec is not { } oldSpec)
        {
            return errors;
        }

        var a = Checks.Normalize(spec)!.AsObject();
        var b = Checks.Normalize(oldSpec)!.AsObject();
        foreach (var node in new[] { a, b })
        {
            node.Remove("resources");
            node.Remove("volumeAttributesClassName");
        }

        if (string.IsNullOrEmpty(oldSpec.VolumeName))
        {
            a.Remove("volumeName");
            b.Remove("volumeName");
        }

        if (!JsonNode.DeepEquals(a, b))
        {
            errors.Add(FieldError.Forbidden("spec", SpecImmutable));
        }

        if (Storage(spec) is { } now && Storage(oldSpec) is { } before && now.ToDecimal() < before.ToDecimal())
        {
            errors.Add(FieldError.Forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
        }

        return errors;
    }

    private static ResourceQuantity? Storage(V1PersistentVolumeClaimSpec spec) =>
        spec.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var storage) ? storage : null;
}
