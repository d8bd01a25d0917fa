using k8s.Models;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 Namespaces: DNS-1123 label names, the <c>kubernetes</c> finalizer and Active phase on
/// create, the <c>kubernetes.io/metadata.name</c> label always equal to the name. spec.finalizers
/// only changes through the finalize subresource, so a main-resource update keeps the stored ones.
/// </summary>
public sealed class NamespaceStrategy : KubeStrategy<V1Namespace>
{
    public const string FinalizerKubernetes = "kubernetes";
    public const string NameLabel = "kubernetes.io/metadata.name";

    public NamespaceStrategy()
        : base("namespaces")
    {
    }

    public override string? ValidateName(string name) => NameRules.Label(name);

    protected override void Default(V1Namespace obj)
    {
        if (!string.IsNullOrEmpty(obj.Metadata.Name))
        {
            obj.Metadata.Labels ??= new Dictionary<string, string>();
            obj.Metadata.Labels[NameLabel] = obj.Metadata.Name;
        }
    }

    protected override void PrepareForCreate(V1Namespace obj)
    {
        obj.Status = new V1NamespaceStatus { Phase = "Active" };
        obj.Spec ??= new V1NamespaceSpec();
        obj.Spec.Finalizers ??= [];
        if (!obj.Spec.Finalizers.Contains(FinalizerKubernetes))
        {
            obj.Spec.Finalizers.Add(FinalizerKubernetes);
        }
    }

    protected override void PrepareForUpdate(V1Namespace obj, V1Namespace old)
    {
        base.PrepareForUpdate(obj, old);
        obj.Spec ??= new V1NamespaceSpec();
        obj.Spec.Finalizers = old.Spec?.Finalizers is { } finalizers ? [.. finalizers] : null;
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Namespace obj) => ValidateFinalizers(obj.Spec?.Finalizers);

    protected override IEnumerable<FieldError> ValidateStatusUpdate(V1Namespace obj, V1Namespace old)
    {
        if (obj.Status?.Phase is { } phase && phase is not ("Active" or "Terminating"))
        {
            yield return FieldError.NotSupported("status.phase", phase, ["Active", "Terminating"]);
        }

        if (old.Metadata.DeletionTimestamp is null && obj.Status?.Phase == "Terminating")
        {
            yield return FieldError.Invalid("status.phase", "Terminating", "may only be 'Terminating' if `deletionTimestamp` is not empty");
        }
    }

    protected override string? GetField(V1Namespace obj, string field) => field == "status.phase" ? obj.Status?.Phase ?? "" : null;

    /// <summary>spec.finalizers: a standard name (kubernetes, orphan, foregroundDeletion) or a qualified one with a prefix.</summary>
    public static IEnumerable<FieldError> ValidateFinalizers(IList<string>? finalizers)
    {
        foreach (var f in finalizers ?? [])
        {
            if (!NameValidation.IsQualifiedName(f, out var error))
            {
                yield return FieldError.Invalid("spec.finalizers", f, error!);
            }
            else if (!f.Contains('/') && f is not (FinalizerKubernetes or "orphan" or "foregroundDeletion"))
            {
                yield return FieldError.Invalid("spec.finalizers", f, "name is neither a standard finalizer name nor is it fully qualified");
            }
        }
    }
}
