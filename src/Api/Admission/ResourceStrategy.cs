using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Admission;

/// <summary>
/// Base strategy for a kind modelled by <typeparamref name="T"/>. The defaults here are what
/// kube-apiserver does for most kinds: status is ignored on create and on main-resource updates
/// when the kind has a status, the generation moves when anything outside metadata and status
/// changes. Kinds override the typed hooks.
/// </summary>
public class ResourceStrategy<T> : IResourceStrategy
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly PropertyInfo? StatusProperty = typeof(T).GetProperty("Status");

    /// <summary>The top-level fields <see cref="SpecChanged(T, T)"/> compares: all but metadata, status, kind and apiVersion.</summary>
    private static readonly PropertyInfo[] ComparedProperties = [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.Name is not ("Metadata" or "Status" or "Kind" or "ApiVersion"))];

    public ResourceStrategy(string storageResource) => StorageResource = storageResource;

    public string StorageResource { get; }

    /// <summary>Whether the kind has a status subresource (so main updates keep the stored status).</summary>
    protected virtual bool HasStatusSubresource => StatusProperty is not null;

    /// <summary>Most kinds take DNS-1123 subdomain names; a few (Namespace, Service) override this.</summary>
    public virtual string? ValidateName(string name) =>
        Core.Validation.NameValidation.IsDns1123Subdomain(name, out var error) ? null : error;

    public void Default(IKubernetesObject<V1ObjectMeta> obj) => Default((T)obj);

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => PrepareForCreate((T)obj);

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        PrepareForUpdate((T)obj, (T)old);

    public void PrepareForStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        PrepareForStatusUpdate((T)obj, (T)old);

    public IEnumerable<FieldError> ValidateCreate(IKubernetesObject<V1ObjectMeta> obj) => ValidateCreate((T)obj);

    public IEnumerable<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        ValidateUpdate((T)obj, (T)old);

    public IEnumerable<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        ValidateStatusUpdate((T)obj, (T)old);

    public string? GetField(IKubernetesObject<V1ObjectMeta> obj, string field) => GetField((T)obj, field);

    public bool SpecChanged(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        SpecChanged((T)obj, (T)old);

    protected virtual void Default(T obj)
    {
    }

    protected virtual void PrepareForCreate(T obj)
    {
        if (HasStatusSubresource && ResetStatusOnCreate)
        {
            StatusProperty!.SetValue(obj, null);
        }
    }

    /// <summary>Most kinds drop a client-supplied status on create; a few (Event, Lease) have none.</summary>
    protected virtual bool ResetStatusOnCreate => true;

    protected virtual void PrepareForUpdate(T obj, T old)
    {
        if (HasStatusSubresource)
        {
            StatusProperty!.SetValue(obj, StatusProperty.GetValue(old));
        }
    }

    protected virtual void PrepareForStatusUpdate(T obj, T old)
    {
        // Everything but metadata and status comes from the stored object.
        foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.Name is "Metadata" or "Status" or "Kind" or "ApiVersion" || !p.CanWrite)
            {
                continue;
            }

            p.SetValue(obj, p.GetValue(old));
        }

        obj.Metadata.Labels = old.Metadata.Labels;
        obj.Metadata.Annotations = old.Metadata.Annotations;
        obj.Metadata.Finalizers = old.Metadata.Finalizers;
        obj.Metadata.OwnerReferences = old.Metadata.OwnerReferences;
    }

    protected virtual IEnumerable<FieldError> ValidateCreate(T obj) => [];

    protected virtual IEnumerable<FieldError> ValidateUpdate(T obj, T old) => ValidateCreate(obj);

    protected virtual IEnumerable<FieldError> ValidateStatusUpdate(T obj, T old) => [];

    protected virtual string? GetField(T obj, string field) => null;

    protected virtual bool SpecChanged(T obj, T old)
    {
        // Field by field: the same instance (a status write's spec is the stored one, see
        // PrepareForStatusUpdate) or the same encoding is unchanged; different bytes may still be
        // equal JSON (map keys in another order), so then the JSON trees of that field decide.
        foreach (var p in ComparedProperties)
        {
            var (x, y) = (p.GetValue(obj), p.GetValue(old));
            if (ReferenceEquals(x, y))
            {
                continue;
            }

            if (x is null || y is null)
            {
                return true;
            }

            var (a, b) = (KubeJson.SerializeToUtf8(x, p.PropertyType), KubeJson.SerializeToUtf8(y, p.PropertyType));
            if (!a.AsSpan().SequenceEqual(b) && !JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b)))
            {
                return true;
            }
        }

        return false;
    }
}
