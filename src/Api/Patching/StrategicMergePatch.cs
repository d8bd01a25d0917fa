using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) as the API server applies it
/// (apimachinery strategicpatch with MergeParallelList and IgnoreUnmatchedNulls): maps merge
/// recursively and <c>null</c> deletes; lists whose field carries <c>patchStrategy:"merge"</c> merge by
/// <c>patchMergeKey</c> (scalars as a set); other lists are replaced. Directives: <c>$patch</c>
/// (replace, delete, merge) in maps and list elements, <c>$setElementOrder/&lt;list&gt;</c>,
/// <c>$retainKeys</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>. Field metadata comes from
/// <see cref="PatchMetadata"/>; where no CLR type is known the patch behaves as a JSON merge patch.
/// Inputs are never modified.
/// </summary>
public static partial class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Returns <paramref name="original"/> (an object of type <paramref name="clrType"/>) with
    /// <paramref name="patch"/> applied.</summary>
    /// <exception cref="PatchException">Malformed for a bad directive, a list element without its merge
    /// key, or a patch that is not an object; Invalid when a merge list cannot be merged.</exception>
    public static JsonNode Apply(JsonNode original, JsonNode patch, Type clrType)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(clrType);
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException(
                $"json: cannot unmarshal {GoKind(patch)} into Go value of type map[string]interface {{}}", PatchErrorKind.Malformed);
        }

        var target = original.DeepClone() as JsonObject ?? [];
        return MergeObject(target, patchObject, TypeShape.Of(clrType));
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/> (owned by the caller) and
    /// returns the result, which is a new object when a <c>$patch</c> directive replaces or deletes it.</summary>
    private static JsonObject MergeObject(JsonObject original, JsonObject patch, TypeShape shape)
    {
        if (patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            switch (StringValue(directive))
            {
                case "replace":
                    return MergeObject([], WithoutKey(patch, PatchDirective), shape);
                case "delete":
                    return [];
                case "merge":
                    patch = WithoutKey(patch, PatchDirective);
                    break;
                default:
                    throw new PatchException($"Unknown patch type: {GoFormat(directive)} in map: {GoFormat(patch)}", PatchErrorKind.Malformed);
            }
        }

        if (patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            ApplyRetainKeys(original, retain);
        }

        // Identities of the original elements, taken before merging, order the $setElementOrder lists.
        var orders = new List<(string Field, JsonArray Order, List<string> ServerOrder)>();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var field = key[SetElementOrderPrefix.Length..];
                if (value is not JsonArray order)
                {
                    throw new PatchException("invalid patch format of setElementOrder list", PatchErrorKind.Malformed);
                }

                orders.Add((field, order, Identities(original[field] as JsonArray, MergeKeyOf(shape, field))));
            }
            else if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], value);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (!IsDirective(key))
            {
                MergeField(original, key, value, shape);
            }
        }

        foreach (var (field, order, serverOrder) in orders)
        {
            if (original[field] is JsonArray merged)
            {
                original[field] = ApplyElementOrder(merged, order, serverOrder, MergeKeyOf(shape, field));
            }
        }

        return original;
    }

    private static void MergeField(JsonObject original, string key, JsonNode? patchValue, TypeShape shape)
    {
        if (patchValue is null)
        {
            original.Remove(key);
            return;
        }

        var (childShape, field) = Child(shape, key);
        original.TryGetPropertyValue(key, out var current);
        if (current is null || current.GetValueKind() != patchValue.GetValueKind() && !(IsBool(current) && IsBool(patchValue)))
        {
            original[key] = FromPatch(patchValue, childShape, field);
            return;
        }

        switch (current)
        {
            case JsonObject currentObject when field?.Strategy.HasFlag(PatchStrategy.Replace) != true:
                original.Remove(key);
                original[key] = MergeObject(currentObject, (JsonObject)patchValue, childShape);
                break;
            case JsonArray currentArray when field?.Strategy.HasFlag(PatchStrategy.Merge) == true:
                original[key] = MergeList(currentArray, (JsonArray)patchValue, field, childShape.Element);
                break;
            default:
                original[key] = FromPatch(patchValue, childShape, field);
                break;
        }
    }

    /// <summary>A patch value placed where the original has nothing: directives are resolved and nulls
    /// dropped by merging it into an empty value.</summary>
    private static JsonNode? FromPatch(JsonNode? patchValue, TypeShape shape, FieldPatchInfo? field) => patchValue switch
    {
        JsonObject patchObject => MergeObject([], patchObject, shape),
        JsonArray patchArray when field?.Strategy.HasFlag(PatchStrategy.Merge) == true => MergeList([], patchArray, field, shape.Element),
        JsonArray patchArray => StripDirectives(patchArray, shape.Element),
        _ => patchValue?.DeepClone(),
    };

    private static JsonArray StripDirectives(JsonArray patchArray, TypeShape elementShape)
    {
        var result = new JsonArray();
        foreach (var item in patchArray)
        {
            result.Add(item is JsonObject itemObject ? MergeObject([], itemObject, elementShape) : item?.DeepClone());
        }

        return result;
    }

    private static void ApplyRetainKeys(JsonObject original, JsonNode? retain)
    {
        if (retain is not JsonArray keys || keys.Any(k => StringValue(k) is null))
        {
            throw new PatchException("invalid patch format of retainKeys", PatchErrorKind.Malformed);
        }

        var keep = keys.Select(k => StringValue(k)!).ToHashSet(StringComparer.Ordinal);
        foreach (var name in original.Select(p => p.Key).Where(name => !keep.Contains(name)).ToList())
        {
            original.Remove(name);
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? values)
    {
        if (values is not JsonArray toDelete)
        {
            throw new PatchException("invalid patch format of primitive list", PatchErrorKind.Malformed);
        }

        if (original[field] is not JsonArray current)
        {
            return;
        }

        var kept = new JsonArray();
        foreach (var item in current)
        {
            if (!toDelete.Any(d => JsonNode.DeepEquals(d, item)))
            {
                kept.Add(item?.DeepClone());
            }
        }

        original[field] = kept;
    }

    private static (TypeShape Shape, FieldPatchInfo? Field) Child(TypeShape shape, string key)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Struct:
                var field = PatchMetadata.GetField(shape.ClrType!, key);
                return field is null ? (TypeShape.Unknown, null) : (field.Shape, field);
            case ShapeKind.Map:
            case ShapeKind.List:
                return (shape.Element, null);
            default:
                return (TypeShape.Unknown, null);
        }
    }

    private static string? MergeKeyOf(TypeShape shape, string field) => Child(shape, field).Field?.MergeKey;

    private static bool IsDirective(string key) =>
        key is PatchDirective or RetainKeysDirective
        || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
        || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);

    private static JsonObject WithoutKey(JsonObject source, string key)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (name != key)
            {
                copy[name] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static bool IsBool(JsonNode node) => node.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    private static string? StringValue(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string GoKind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    /// <summary>Formats a value as Go's %v does for decoded JSON, for error messages that match the API server's.</summary>
    internal static string GoFormat(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject obj => "map[" + string.Join(" ", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{GoFormat(p.Value)}")) + "]",
        JsonArray array => "[" + string.Join(" ", array.Select(GoFormat)) + "]",
        _ => StringValue(node) ?? node.ToJsonString(),
    };
}
