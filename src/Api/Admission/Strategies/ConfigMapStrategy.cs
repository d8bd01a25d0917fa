using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>core/v1 ConfigMaps: key syntax, 1 MiB total, and the <c>immutable</c> lock.</summary>
public sealed class ConfigMapStrategy : KubeStrategy<V1ConfigMap>
{
    public ConfigMapStrategy()
        : base("configmaps")
    {
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1ConfigMap obj)
    {
        var errors = DataRules.ValidateKeys(obj.Data?.Keys, "data")
            .Concat(DataRules.ValidateKeys(obj.BinaryData?.Keys, "binaryData"))
            .ToList();
        long size = 0;
        foreach (var (key, value) in obj.Data ?? new Dictionary<string, string>())
        {
            size += key.Length + System.Text.Encoding.UTF8.GetByteCount(value ?? "");
        }

        foreach (var (key, value) in obj.BinaryData ?? new Dictionary<string, byte[]>())
        {
            size += key.Length + (value?.Length ?? 0);
            if (obj.Data?.ContainsKey(key) == true)
            {
                errors.Add(FieldError.Invalid(Checks.Key("binaryData", key), key, "duplicate of key present in data"));
            }
        }

        if (size > DataRules.MaxSize)
        {
            errors.Add(FieldError.TooLong("", DataRules.MaxSize));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateUpdate(V1ConfigMap obj, V1ConfigMap old) =>
        ValidateCreate(obj).Concat(DataRules.ValidateImmutable(obj.Immutable, old.Immutable,
            ("data", obj.Data, old.Data), ("binaryData", obj.BinaryData, old.BinaryData)));
}
