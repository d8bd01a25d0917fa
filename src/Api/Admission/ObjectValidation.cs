using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Admission;

/// <summary>Metadata validation shared by every kind, then the kind's own.</summary>
public static class ObjectValidation
{
    public static List<FieldError> ValidateCreate(IResourceStrategy strategy, ResourceType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        var errors = ObjectMetaValidator.ValidateCreate(obj.Metadata, type.Namespaced, strategy.ValidateName).ToList();
        errors.AddRange(strategy.ValidateCreate(obj));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(
        IResourceStrategy strategy, ResourceType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = ObjectMetaValidator.ValidateCreate(obj.Metadata, type.Namespaced, _ => null).ToList();
        errors.AddRange(ObjectMetaValidator.ValidateUpdate(obj.Metadata, old.Metadata));
        errors.AddRange(strategy.ValidateUpdate(obj, old));
        return errors;
    }

    public static List<FieldError> ValidateStatusUpdate(
        IResourceStrategy strategy, ResourceType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = ObjectMetaValidator.ValidateUpdate(obj.Metadata, old.Metadata).ToList();
        errors.AddRange(strategy.ValidateStatusUpdate(obj, old));
        return errors;
    }
}
