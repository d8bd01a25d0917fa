using k8s;
using k8s.Models;

namespace KubeWeb.Controllers.Apps;

/// <summary>Controller ownerReferences (metav1.NewControllerRef, GetControllerOf).</summary>
internal static class OwnerRefs
{
    public static V1OwnerReference ControllerRef(IKubernetesObject<V1ObjectMeta> owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static V1OwnerReference? ControllerOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> obj, string uid) => ControllerOf(obj)?.Uid == uid;

    /// <summary>The owner's name when the controller ref is of <paramref name="kind"/> in <paramref name="group"/>.</summary>
    public static string? ControllerName(IKubernetesObject<V1ObjectMeta> obj, string group, string kind) =>
        ControllerOf(obj) is { } r && r.Kind == kind && Group(r.ApiVersion) == group ? r.Name : null;

    private static string Group(string? apiVersion)
    {
        var slash = apiVersion?.IndexOf('/') ?? -1;
        return slash < 0 ? "" : apiVersion![..slash];
    }
}
