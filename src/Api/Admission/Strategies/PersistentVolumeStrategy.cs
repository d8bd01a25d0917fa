using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 PersistentVolumes. A new volume starts Available: KubeWeb has no separate step that
/// moves it there from Pending as upstream's PV controller does.
/// </summary>
public sealed class PersistentVolumeStrategy : KubeStrategy<V1PersistentVolume>
{
    private static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

    private static readonly System.Reflection.PropertyInfo[] Sources =
        [.. typeof(V1PersistentVolumeSpec).GetProperties().Where(p => p.PropertyType.Name.EndsWith("Source", StringComparison.Ordinal))];

    public PersistentVolumeStrategy()
        : base("persistentvolumes")
    {
    }

    protected override void Default(V1PersistentVolume obj)
    {
        obj.Spec ??= new V1PersistentVolumeSpec();
        obj.Spec.PersistentVolumeReclaimPolicy ??= "Retain";
        obj.Spec.VolumeMode ??= "Filesystem";
    }

    protected override void PrepareForCreate(V1PersistentVolume obj) =>
        obj.Status = new V1PersistentVolumeStatus { Phase = "Available" };

    protected override IEnumerable<FieldError> ValidateCreate(V1PersistentVolume obj)
    {
        var errors = new List<FieldError>();
        if (obj.Spec is not { } spec)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }

        errors.AddRange(ValidateAccessModes(spec.AccessModes, "spec.accessModes"));
        if (spec.Capacity is not { Count: > 0 })
        {
            errors.Add(FieldError.Required("spec.capacity"));
        }
        else if (!spec.Capacity.TryGetValue("storage", out var storage) || spec.Capacity.Count > 1)
        {
            errors.Add(FieldError.NotSupported("spec.capacity", string.Join(",", spec.Capacity.Keys), ["storage"]));
        }
        else if (storage.ToDecimal() <= 0)
        {
            errors.Add(FieldError.Invalid("spec.capacity[storage]", storage.ToString(), "must be greater than zero"));
        }

        var sources = Sources.Where(p => p.GetValue(spec) is not null).ToList();
        if (sources.Count == 0)
        {
            errors.Add(FieldError.Required("spec", "must specify a volume type"));
        }
        else if (sources.Count > 1)
        {
            var name = sources[1].Name;
            errors.Add(FieldError.Forbidden("spec." + char.ToLowerInvariant(name[0]) + name[1..], "may not specify more than 1 volume type"));
        }

        errors.AddRange(Checks.OneOf(spec.PersistentVolumeReclaimPolicy, "spec.persistentVolumeReclaimPolicy", "Delete", "Recycle", "Retain"));
        errors.AddRange(Checks.OneOf(spec.VolumeMode, "spec.volumeMode", "Block", "Filesystem"));
        if (spec.HostPath is { } hostPath && string.IsNullOrEmpty(hostPath.Path))
        {
            errors.Add(FieldError.Required("spec.hostPath.path"));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1PersistentVolume obj, V1PersistentVolume old) =>
        ValidateCreate(obj).Concat(Checks.ImmutableField(obj.Spec?.VolumeMode, old.Spec?.VolumeMode, "volumeMode"));

    internal static IEnumerable<FieldError> ValidateAccessModes(IList<string>? modes, string path)
    {
        if (modes is not { Count: > 0 })
        {
            yield return FieldError.Required(path);
            yield break;
        }

        foreach (var mode in modes.Where(m => !AccessModes.Contains(m)))
        {
            yield return FieldError.NotSupported(path, mode, AccessModes);
        }

        if (modes.Contains("ReadWriteOncePod") && modes.Count > 1)
        {
            yield return FieldError.Forbidden(path, "may not use ReadWriteOncePod with other access modes");
        }
    }
}
