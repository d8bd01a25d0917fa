using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>Key syntax, size and immutability rules shared by ConfigMap and Secret.</summary>
internal static class DataRules
{
    /// <summary>The most bytes a ConfigMap's or Secret's payload may hold.</summary>
    public const int MaxSize = 1024 * 1024;

    public const string ImmutableWhenSet = "field is immutable when `immutable` is set";

    public static IEnumerable<FieldError> ValidateKeys(IEnumerable<string>? keys, string path)
    {
        foreach (var key in keys ?? [])
        {
            if (key.Length > 253)
            {
                yield return FieldError.Invalid(Checks.Key(path, key), key, "must be no more than 253 characters");
            }
            else if (!NameValidation.IsConfigMapKey(key))
            {
                yield return FieldError.Invalid(Checks.Key(path, key), key, key is "." or ".."
                    ? $"must not be '{key}'"
                    : "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
            }
        }
    }

    /// <summary>Once <c>immutable: true</c> is stored, neither the flag nor the payload may change.</summary>
    public static IEnumerable<FieldError> ValidateImmutable(bool? immutable, bool? oldImmutable, params (string Path, object? Value, object? Old)[] payload)
    {
        if (oldImmutable != true)
        {
            yield break;
        }

        if (immutable != true)
        {
            yield return FieldError.Forbidden("immutable", ImmutableWhenSet);
        }

        foreach (var (path, value, old) in payload)
        {
            if (!Checks.Same(value, old))
            {
                yield return FieldError.Forbidden(path, ImmutableWhenSet);
            }
        }
    }
}
