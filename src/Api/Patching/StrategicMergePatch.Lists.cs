using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>Lists with <c>patchStrategy:"merge"</c>: merging, <c>$patch</c> elements and element order.</summary>
public static partial class StrategicMergePatch
{
    /// <summary>Merges a patch list into an original list and returns a new list (the original's
    /// elements move into it). Scalars merge as a set; objects by <paramref name="field"/>'s merge key.</summary>
    private static JsonArray MergeList(JsonArray original, JsonArray patch, FieldPatchInfo field, TypeShape elementShape)
    {
        var items = original.ToList();
        original.Clear();
        if (items.Count == 0 && patch.Count == 0)
        {
            return [];
        }

        var ofObjects = items.Concat(patch).Any(i => i is JsonObject);
        var mergeKey = !ofObjects ? null
            : field.MergeKey ?? throw new PatchException($"cannot merge lists without merge key for {field.JsonName}");
        var serverOrder = items.Select(i => Identity(i, mergeKey)).ToList();

        List<JsonNode?> merged, patchItems;
        if (ofObjects)
        {
            (merged, patchItems) = MergeObjectItems(items, patch, mergeKey!, elementShape);
        }
        else
        {
            patchItems = patch.Select(p => p?.DeepClone()).ToList();
            merged = items.Concat(patchItems).DistinctBy(i => Identity(i, null)).ToList();
        }

        var patchIds = patchItems.Select(p => Identity(p, mergeKey)).Distinct().ToList();
        var inPatch = merged.Where(i => patchIds.Contains(Identity(i, mergeKey))).OrderBy(i => patchIds.IndexOf(Identity(i, mergeKey))).ToList();
        var serverOnly = merged.Where(i => !patchIds.Contains(Identity(i, mergeKey))).ToList();
        return Interleave(serverOnly, inPatch, serverOrder, mergeKey);
    }

    /// <summary>Handles <c>$patch</c> elements, then merges each remaining patch element into the
    /// original element with the same merge key or appends it.</summary>
    private static (List<JsonNode?> Merged, List<JsonNode?> PatchItems) MergeObjectItems(
        List<JsonNode?> items, JsonArray patch, string mergeKey, TypeShape elementShape)
    {
        var plain = new List<JsonObject>();
        var replace = false;
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                throw new PatchException($"unable to merge a list of objects with the scalar {GoFormat(element)}", PatchErrorKind.Malformed);
            }

            if (!patchElement.TryGetPropertyValue(PatchDirective, out var directive))
            {
                plain.Add(patchElement);
                continue;
            }

            switch (StringValue(directive))
            {
                case "delete":
                    if (!patchElement.TryGetPropertyValue(mergeKey, out var keyValue))
                    {
                        throw new PatchException($"map: {GoFormat(patchElement)} does not contain declared merge key: {mergeKey}", PatchErrorKind.Malformed);
                    }

                    items.RemoveAll(i => i is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    plain.Add(WithoutKey(patchElement, PatchDirective));
                    break;
                default:
                    throw new PatchException($"Unknown patch type: {GoFormat(directive)} in map: {GoFormat(patchElement)}", PatchErrorKind.Malformed);
            }
        }

        if (replace)
        {
            var replaced = plain.Select(p => (JsonNode?)MergeObject([], p, elementShape)).ToList();
            return (replaced, replaced);
        }

        var patchItems = new List<JsonNode?>();
        foreach (var patchElement in plain)
        {
            if (!patchElement.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw new PatchException($"map: {GoFormat(patchElement)} does not contain declared merge key: {mergeKey}", PatchErrorKind.Malformed);
            }

            var index = items.FindIndex(i => i is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
            var merged = index >= 0 && items[index] is JsonObject existing
                ? MergeObject(existing, patchElement, elementShape)
                : MergeObject([], patchElement, elementShape);
            if (index >= 0)
            {
                items[index] = merged;
            }
            else
            {
                items.Add(merged);
            }

            patchItems.Add(merged);
        }

        return (items, patchItems);
    }

    /// <summary>Orders a merged list by a <c>$setElementOrder</c> list: listed elements in that order,
    /// the others (added by someone else) kept near their original neighbours.</summary>
    private static JsonArray ApplyElementOrder(JsonArray merged, JsonArray order, List<string> serverOrder, string? mergeKey)
    {
        var orderIds = order.Select(o => Identity(o, mergeKey)).ToList();
        var items = merged.ToList();
        merged.Clear();
        var listed = items.Where(i => orderIds.Contains(Identity(i, mergeKey))).OrderBy(i => orderIds.IndexOf(Identity(i, mergeKey))).ToList();
        var others = items.Where(i => !orderIds.Contains(Identity(i, mergeKey))).ToList();
        return Interleave(others, listed, serverOrder, mergeKey);
    }

    /// <summary>
    /// Merges two sorted, disjoint runs. A server-only element goes before the next patch element when
    /// both were in the original list and it came first there; otherwise the patch element goes first,
    /// so new elements land ahead of the remaining server-only ones (as apimachinery does).
    /// </summary>
    private static JsonArray Interleave(List<JsonNode?> serverOnly, List<JsonNode?> patchItems, List<string> serverOrder, string? mergeKey)
    {
        var result = new JsonArray();
        int i = 0, j = 0;
        while (i < serverOnly.Count || j < patchItems.Count)
        {
            bool takeServer;
            if (i >= serverOnly.Count)
            {
                takeServer = false;
            }
            else if (j >= patchItems.Count)
            {
                takeServer = true;
            }
            else
            {
                var left = serverOrder.IndexOf(Identity(serverOnly[i], mergeKey));
                var right = serverOrder.IndexOf(Identity(patchItems[j], mergeKey));
                takeServer = left >= 0 && right >= 0 && left < right;
            }

            result.Add(takeServer ? serverOnly[i++] : patchItems[j++]);
        }

        return result;
    }

    private static List<string> Identities(JsonArray? list, string? mergeKey) =>
        list is null ? [] : list.Select(i => Identity(i, mergeKey)).ToList();

    /// <summary>What identifies a list element: its merge key's value, or the value itself for scalars.</summary>
    private static string Identity(JsonNode? item, string? mergeKey) =>
        (mergeKey is not null && item is JsonObject o ? o[mergeKey] : item)?.ToJsonString() ?? "null";
}
