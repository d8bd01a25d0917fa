using k8s.Models;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission;

/// <summary>
/// The metadata checks kube-apiserver runs for every kind (apimachinery's ObjectMeta validation):
/// name rule, namespace presence, label and annotation syntax, finalizer names, owner references,
/// and on update the fields that never change. Paths are rooted at <c>metadata</c>.
/// </summary>
public static class ObjectMetaValidator
{
    /// <summary>Total bytes of annotation keys plus values an object may carry.</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private const string Immutable = "field is immutable";

    /// <param name="meta">The metadata of the object being created.</param>
    /// <param name="namespaced">Whether the kind lives in a namespace.</param>
    /// <param name="nameError">The kind's name rule: null when the name is valid, else the reason.</param>
    public static IEnumerable<FieldError> ValidateCreate(V1ObjectMeta meta, bool namespaced, Func<string, string?> nameError)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(meta.Name))
        {
            if (string.IsNullOrEmpty(meta.GenerateName))
            {
                errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
            }
            else if (nameError(MaskTrailingDash(meta.GenerateName)) is { } prefixError)
            {
                // A prefix may end in '-' because random characters follow it.
                errors.Add(FieldError.Invalid("metadata.generateName", meta.GenerateName, prefixError));
            }
        }
        else if (nameError(meta.Name) is { } error)
        {
            errors.Add(FieldError.Invalid("metadata.name", meta.Name, error));
        }

        if (namespaced)
        {
            if (string.IsNullOrEmpty(meta.NamespaceProperty))
            {
                errors.Add(FieldError.Required("metadata.namespace"));
            }
            else if (!NameValidation.IsDns1123Label(meta.NamespaceProperty, out var nsError))
            {
                errors.Add(FieldError.Invalid("metadata.namespace", meta.NamespaceProperty, nsError!));
            }
        }
        else if (!string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            errors.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
        }

        if (meta.Generation < 0)
        {
            errors.Add(FieldError.Invalid("metadata.generation", meta.Generation, "must be greater than or equal to 0"));
        }

        errors.AddRange(ValidateCommon(meta));
        return errors;
    }

    /// <summary>
    /// Update checks. A missing uid or creationTimestamp on the new object counts as "unchanged":
    /// the handler is expected to carry them over from the stored object, as kube-apiserver's
    /// BeforeUpdate does, before persisting.
    /// </summary>
    public static IEnumerable<FieldError> ValidateUpdate(V1ObjectMeta meta, V1ObjectMeta old)
    {
        var errors = new List<FieldError>();
        if (meta.Name != old.Name)
        {
            errors.Add(FieldError.Invalid("metadata.name", meta.Name, Immutable));
        }

        if ((meta.NamespaceProperty ?? "") != (old.NamespaceProperty ?? ""))
        {
            errors.Add(FieldError.Invalid("metadata.namespace", meta.NamespaceProperty, Immutable));
        }

        if (!string.IsNullOrEmpty(meta.Uid) && meta.Uid != old.Uid)
        {
            errors.Add(FieldError.Invalid("metadata.uid", meta.Uid, Immutable));
        }

        if (meta.CreationTimestamp is { } created && old.CreationTimestamp is { } oldCreated
            && Math.Abs((created - oldCreated).TotalSeconds) >= 1)
        {
            errors.Add(FieldError.Invalid("metadata.creationTimestamp", created.ToString("yyyy-MM-ddTHH:mm:ssZ"), Immutable));
        }

        if (meta.Generation < old.Generation)
        {
            errors.Add(FieldError.Invalid("metadata.generation", meta.Generation, "must not be decremented"));
        }

        if (old.DeletionTimestamp is not null)
        {
            var added = (meta.Finalizers ?? []).Except(old.Finalizers ?? []).Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                errors.Add(FieldError.Forbidden("metadata.finalizers",
                    $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}"));
            }
        }

        errors.AddRange(ValidateCommon(meta));
        return errors;
    }

    /// <summary>Label keys and values under <paramref name="path"/> (also used for templates and selectors).</summary>
    public static IEnumerable<FieldError> ValidateLabels(IDictionary<string, string>? labels, string path)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (!NameValidation.IsQualifiedName(key, out var keyError))
            {
                yield return FieldError.Invalid(path, key, keyError!);
            }

            if (!NameValidation.IsLabelValue(value ?? "", out var valueError))
            {
                yield return FieldError.Invalid(path, value, valueError!);
            }
        }
    }

    /// <summary>Annotation keys (case-insensitive qualified names) and their total size.</summary>
    public static IEnumerable<FieldError> ValidateAnnotations(IDictionary<string, string>? annotations, string path)
    {
        if (annotations is null)
        {
            yield break;
        }

        long size = 0;
        foreach (var (key, value) in annotations)
        {
            if (!NameValidation.IsQualifiedName(key.ToLowerInvariant(), out var error))
            {
                yield return FieldError.Invalid(path, key, error!);
            }

            size += key.Length + System.Text.Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (size > TotalAnnotationSizeLimit)
        {
            yield return FieldError.TooLong(path, TotalAnnotationSizeLimit);
        }
    }

    private static IEnumerable<FieldError> ValidateCommon(V1ObjectMeta meta)
    {
        foreach (var e in ValidateLabels(meta.Labels, "metadata.labels"))
        {
            yield return e;
        }

        foreach (var e in ValidateAnnotations(meta.Annotations, "metadata.annotations"))
        {
            yield return e;
        }

        foreach (var e in ValidateOwnerReferences(meta.OwnerReferences))
        {
            yield return e;
        }

        foreach (var e in ValidateFinalizers(meta.Finalizers))
        {
            yield return e;
        }
    }

    private static IEnumerable<FieldError> ValidateOwnerReferences(IList<V1OwnerReference>? refs)
    {
        const string path = "metadata.ownerReferences";
        string? firstController = null;
        foreach (var r in refs ?? [])
        {
            var apiVersion = r.ApiVersion ?? "";
            var version = apiVersion.Contains('/') ? apiVersion[(apiVersion.IndexOf('/') + 1)..] : apiVersion;
            if (version.Length == 0)
            {
                yield return FieldError.Invalid(path + ".apiVersion", r.ApiVersion ?? "", "version must not be empty");
            }

            if (string.IsNullOrEmpty(r.Kind))
            {
                yield return FieldError.Invalid(path + ".kind", r.Kind ?? "", "must not be empty");
            }

            if (string.IsNullOrEmpty(r.Name))
            {
                yield return FieldError.Invalid(path + ".name", r.Name ?? "", "must not be empty");
            }

            if (string.IsNullOrEmpty(r.Uid))
            {
                yield return FieldError.Invalid(path + ".uid", r.Uid ?? "", "must not be empty");
            }

            if (apiVersion == "v1" && r.Kind == "Event")
            {
                yield return FieldError.Invalid(path, $"{r.Kind}/{r.Name}", "/v1, Kind=Event is disallowed from being an owner");
            }

            if (r.Controller == true)
            {
                var current = $"{r.Kind}/{r.Name}";
                if (firstController is null)
                {
                    firstController = current;
                }
                else
                {
                    yield return FieldError.Invalid(path, current,
                        $"Only one reference can have Controller set to true. Found \"true\" in references for {firstController} and {current}");
                }
            }
        }
    }

    private static IEnumerable<FieldError> ValidateFinalizers(IList<string>? finalizers)
    {
        if (finalizers is null)
        {
            yield break;
        }

        foreach (var f in finalizers)
        {
            if (!NameValidation.IsQualifiedName(f, out var error))
            {
                yield return FieldError.Invalid("metadata.finalizers", f, error!);
            }
        }

        if (finalizers.Contains("orphan") && finalizers.Contains("foregroundDeletion"))
        {
            yield return FieldError.Invalid("metadata.finalizers", string.Join(",", finalizers),
                "finalizer orphan and foregroundDeletion cannot be both set");
        }
    }

    private static string MaskTrailingDash(string prefix) =>
        prefix.Length > 1 && prefix[^1] == '-' ? prefix[..^1] + "a" : prefix;
}
