using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Http;

/// <summary>
/// Keeps <c>metadata.managedFields</c>: ordinary writes move the fields they change to their
/// manager's Update entry; server-side apply merges under field ownership and reports conflicts.
/// The status subresource owns only status, the main resource everything else.
/// </summary>
public sealed class ManagedFieldsTracker
{
    private static readonly string[] MainIgnored = ["status"];
    private static readonly string[] StatusIgnored = ["spec"];

    /// <summary>
    /// Records a create/update/patch by <paramref name="manager"/> on <paramref name="obj"/> (skipped when the manager is empty).
    /// <paramref name="oldJson"/>, when given, is <paramref name="old"/> as the store encoded it, read instead of encoding it again.
    /// </summary>
    public void TrackUpdate(ResourceType type, IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta> obj, string manager, string? subresource, DateTime now,
        byte[]? oldJson = null)
    {
        if (manager.Length == 0 || subresource is "binding" or "finalize")
        {
            return;
        }

        // The ignored half (spec for status writes, status for the rest) cannot change ownership, so
        // it is dropped before the comparison: for pods that halves the work on the hottest write path.
        // Both nodes are built here for this call only, so the field manager may consume them.
        var ignored = subresource == "status" ? StatusIgnored : MainIgnored;
        var oldNode = old is null ? null : Without(oldJson is null ? ToNode(old) : JsonNode.Parse(oldJson)!.AsObject(), ignored);
        var newNode = Without(ToNode(obj), ignored);
        var result = FieldManager.UpdateInPlace(oldNode, newNode, manager, obj.GetType(), type.ApiVersion, now, subresource, ignored);
        obj.Metadata.ManagedFields = result["metadata"]?["managedFields"]?.Deserialize<IList<V1ManagedFieldsEntry>>(KubeJson.Options);
    }

    /// <summary>The object an apply creates when none exists yet.</summary>
    public JsonObject ApplyCreate(ResourceType type, JsonObject applied, string manager, DateTime now) =>
        Apply(type, null, applied, manager, force: false, now, subresource: null);

    /// <summary>Merges an apply configuration into the live object; conflicts become 409 with one cause per field.</summary>
    public JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string manager, bool force, DateTime now, string? subresource = null)
    {
        ApplyResult result;
        try
        {
            result = FieldManager.Apply(live, applied, manager, force, type.ClrType, type.ApiVersion, now, subresource,
                subresource == "status" ? StatusIgnored : MainIgnored);
        }
        catch (PatchException e)
        {
            throw PatchError(e);
        }

        if (result.HasConflicts)
        {
            throw new ApiError(409, "Conflict", result.ConflictMessage!, new V1StatusDetails
            {
                Name = applied["metadata"]?["name"]?.GetValue<string>() ?? live?["metadata"]?["name"]?.GetValue<string>(),
                Group = type.Group,
                Kind = type.Plural,
                Causes = [.. result.Conflicts.Select(c => new V1StatusCause { Reason = ApplyConflict.CauseReason, Message = c.Message, Field = c.Field })],
            });
        }

        return result.Object!;
    }

    /// <summary>Maps a patch failure to the status kube-apiserver answers with.</summary>
    public static ApiError PatchError(PatchException e) => e.Kind switch
    {
        PatchErrorKind.Malformed => ApiError.BadRequest(e.Message),
        _ => new ApiError(422, "Invalid", e.Message),
    };

    private static JsonObject Without(JsonObject node, string[] fields)
    {
        foreach (var f in fields)
        {
            node.Remove(f);
        }

        return node;
    }

    private static JsonObject ToNode(IKubernetesObject<V1ObjectMeta> obj) =>
        JsonSerializer.SerializeToNode(obj, obj.GetType(), KubeJson.Options)!.AsObject();
}
