using System.Runtime.InteropServices;
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

    /// <summary>The top-level fields a status write compares (<see cref="StatusHalf"/>).</summary>
    private static readonly string[] StatusCompared = ["apiVersion", "kind", "metadata", "status"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo?> StatusProperties = new();

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
        // Fields equal in both versions cannot change ownership either, so only the differing ones are
        // compared; managedFields are decoded from, and written back as, JSON text without node trees.
        var ignored = subresource == "status" ? StatusIgnored : MainIgnored;
        using var updated = JsonDocument.Parse(subresource == "status" ? StatusHalf(obj) : KubeJson.SerializeToUtf8(obj, obj.GetType()));
        using var previous = old is null ? null : JsonDocument.Parse(oldJson ?? KubeJson.SerializeToUtf8(old, old.GetType()));
        var provided = ManagedFieldsOf(updated.RootElement);
        var resets = provided.ValueKind == JsonValueKind.Array && provided.GetArrayLength() > 0 &&
            provided.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object && !e.EnumerateObject().Any());
        var (oldNode, newNode) = previous is null
            ? (null, Without(updated.RootElement, ignored))
            : Differing(previous.RootElement, updated.RootElement, ignored, 0);
        var entries = FieldManager.UpdateEntries(oldNode, previous is not null, newNode, resets,
            subresource is null ? ManagedFieldsEntries.Decode(provided) : [],
            () => previous is null ? [] : ManagedFieldsEntries.Decode(ManagedFieldsOf(previous.RootElement)),
            manager, obj.GetType(), type.ApiVersion, now, subresource, ignored);
        obj.Metadata.ManagedFields = entries.Count == 0 ? null : Typed(entries);
    }

    /// <summary>
    /// What a status write can change, encoded as in the whole object: apiVersion, kind, metadata and
    /// status. The rest (spec, for pods half the bytes) is the stored object's own after
    /// PrepareForStatusUpdate and ignored for ownership, so it is neither encoded nor compared
    /// (<see cref="Skipped"/> leaves it out of the stored version too).
    /// </summary>
    private static byte[] StatusHalf(IKubernetesObject<V1ObjectMeta> obj)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = KubeJson.Options.Encoder }))
        {
            w.WriteStartObject();
            if (obj.ApiVersion is not null)
            {
                w.WriteString("apiVersion", obj.ApiVersion);
            }

            if (obj.Kind is not null)
            {
                w.WriteString("kind", obj.Kind);
            }

            if (obj.Metadata is not null)
            {
                w.WritePropertyName("metadata");
                JsonSerializer.Serialize(w, obj.Metadata, KubeJson.Options);
            }

            if (StatusProperties.GetOrAdd(obj.GetType(), static t => t.GetProperty("Status")) is { } property && property.GetValue(obj) is { } status)
            {
                w.WritePropertyName("status");
                JsonSerializer.Serialize(w, status, property.PropertyType, KubeJson.Options);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonElement ManagedFieldsOf(JsonElement root) =>
        root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("managedFields", out var f) ? f : default;

    /// <summary>
    /// The entries as the model carries them, each fieldsV1 already encoded (<see cref="RawJsonValue"/>):
    /// the object's encoding writes those bytes as they are, the same bytes a decoded JsonElement writes.
    /// </summary>
    private static IList<V1ManagedFieldsEntry> Typed(List<ManagedEntry> entries)
    {
        var typed = new List<V1ManagedFieldsEntry>(entries.Count);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        foreach (var entry in entries)
        {
            buffer.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = KubeJson.Options.Encoder }))
            {
                entry.Fields.WriteFieldsV1(w);
            }

            typed.Add(new V1ManagedFieldsEntry
            {
                Manager = entry.Identity.Manager,
                Operation = entry.Identity.Operation,
                ApiVersion = entry.ApiVersion,
                Time = EntryTime(entry.Time),
                FieldsType = "FieldsV1",
                FieldsV1 = new RawJsonValue(buffer.WrittenSpan.ToArray()),
                Subresource = string.IsNullOrEmpty(entry.Identity.Subresource) ? null : entry.Identity.Subresource,
            });
        }

        return typed;
    }

    /// <summary>An entry's time as the model reads it (RFC 3339; anything else through the client's own converter).</summary>
    private static DateTime? EntryTime(string? time) =>
        time is null ? null
        : DateTime.TryParseExact(time, "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var exact) ? exact
        : JsonSerializer.Deserialize<DateTime?>(JsonSerializer.SerializeToUtf8Bytes(time), KubeJson.Options);

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

    /// <summary>
    /// The two versions of an object without the fields that encode identically in both, down to the
    /// children of top-level fields (lists and deeper levels are kept whole where they differ):
    /// equal subtrees add nothing to a comparison. metadata.managedFields is always kept (it holds the
    /// ownership being updated); <paramref name="ignored"/> top-level fields are dropped.
    /// </summary>
    private static (JsonObject Old, JsonObject New) Differing(JsonElement old, JsonElement updated, string[] ignored, int depth, bool inMetadata = false)
    {
        var (o, n) = (new JsonObject(), new JsonObject());
        foreach (var p in updated.EnumerateObject())
        {
            if (Skipped(p, ignored, depth, inMetadata))
            {
                continue;
            }

            // metadata is always walked into, so that both sides keep it when the object has it.
            var metadata = depth == 0 && p.NameEquals("metadata");
            if (!old.TryGetProperty(p.Name, out var before))
            {
                n[p.Name] = Node(p.Value);
            }
            else if (metadata || !JsonMarshal.GetRawUtf8Value(before).SequenceEqual(JsonMarshal.GetRawUtf8Value(p.Value)))
            {
                (o[p.Name], n[p.Name]) = depth == 0 && before.ValueKind == JsonValueKind.Object && p.Value.ValueKind == JsonValueKind.Object
                    ? Differing(before, p.Value, ignored, 1, metadata)
                    : (Node(before), Node(p.Value));
            }
        }

        foreach (var p in old.EnumerateObject())
        {
            if (!Skipped(p, ignored, depth, inMetadata) && !updated.TryGetProperty(p.Name, out _))
            {
                o[p.Name] = Node(p.Value);
            }
        }

        return (o, n);
    }

    /// <summary>
    /// Ignored top-level fields, and managedFields (ownership, not content), stay out of the comparison;
    /// a status write compares only <see cref="StatusCompared"/> (its other fields are the stored ones).
    /// </summary>
    private static bool Skipped(JsonProperty p, string[] ignored, int depth, bool inMetadata) =>
        (depth == 0 && (ignored.Contains(p.Name) || (ignored == StatusIgnored && !StatusCompared.Contains(p.Name))))
        || (inMetadata && p.NameEquals("managedFields"));

    /// <summary>A created object without its ignored half and its managedFields.</summary>
    private static JsonObject Without(JsonElement root, string[] ignored)
    {
        var node = JsonNode.Parse(JsonMarshal.GetRawUtf8Value(root))!.AsObject();
        foreach (var f in ignored)
        {
            node.Remove(f);
        }

        (node["metadata"] as JsonObject)?.Remove("managedFields");
        return node;
    }

    private static JsonNode? Node(JsonElement e) => JsonNode.Parse(JsonMarshal.GetRawUtf8Value(e));
}
