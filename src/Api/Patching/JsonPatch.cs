using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// RFC 6902 JSON patch (<c>application/json-patch+json</c>) with the behaviour Kubernetes gets from
/// evanphx/json-patch v4: <c>replace</c> of a missing key fails, <c>-</c> appends, negative array
/// indices count from the end, a missing parent is an error (parents are never created), and a
/// missing <c>value</c> means JSON null. The input document is never modified.
/// </summary>
public static class JsonPatch
{
    private const string Missing = "missing value";
    private const string InvalidIndex = "invalid index referenced";

    /// <summary>Applies every operation in order and returns the patched copy.</summary>
    /// <exception cref="PatchException">Malformed when the patch is not an array of operation objects;
    /// Conflict when a <c>test</c> fails; Invalid when an operation does not apply.</exception>
    public static JsonNode Apply(JsonNode document, JsonNode patchArray)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (patchArray is not JsonArray operations)
        {
            throw new PatchException(
                $"json: cannot unmarshal {GoKind(patchArray)} into Go value of type jsonpatch.Patch", PatchErrorKind.Malformed);
        }

        var root = document.DeepClone();
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                throw new PatchException(
                    $"json: cannot unmarshal {GoKind(node)} into Go value of type jsonpatch.Operation", PatchErrorKind.Malformed);
            }

            root = ApplyOne(root, operation);
        }

        return root;
    }

    private static JsonNode ApplyOne(JsonNode root, JsonObject operation)
    {
        var kind = ReadString(operation, "op") ?? "unknown";
        switch (kind)
        {
            case "add":
                Add(root, RequirePath(operation, kind), operation["value"]?.DeepClone(), "add");
                return root;
            case "remove":
                Remove(root, RequirePath(operation, kind));
                return root;
            case "replace":
                return Replace(root, RequirePath(operation, kind), operation["value"]);
            case "move":
                Move(root, operation);
                return root;
            case "copy":
                Copy(root, operation);
                return root;
            case "test":
                Test(root, RequirePath(operation, kind), operation["value"]);
                return root;
            default:
                throw new PatchException($"Unexpected kind: {kind}");
        }
    }

    private static void Add(JsonNode root, string path, JsonNode? value, string verb)
    {
        var (container, key) = FindParent(root, path);
        if (container is null)
        {
            throw new PatchException($"{verb} operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }

        var error = TryInsert(container, key, value);
        if (error is not null)
        {
            throw new PatchException($"error in {verb} for path: '{path}': {error}");
        }
    }

    private static void Remove(JsonNode root, string path)
    {
        var (container, key) = FindParent(root, path);
        if (container is null)
        {
            throw new PatchException($"remove operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }

        var error = TryDetach(container, key, out _);
        if (error is not null)
        {
            throw new PatchException($"error in remove for path: '{path}': {error}");
        }
    }

    private static JsonNode Replace(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            if (value is JsonObject or JsonArray)
            {
                return value.DeepClone();
            }

            throw new PatchException("replace operation value must be object or array");
        }

        var (container, key) = FindParent(root, path);
        if (container is null)
        {
            throw new PatchException($"replace operation does not apply: doc is missing path: {path}: {Missing}");
        }

        if (TryGet(container, key, out _, out var index) is not null)
        {
            throw new PatchException($"replace operation does not apply: doc is missing key: {path}: {Missing}");
        }

        if (container is JsonObject obj)
        {
            obj[key] = value?.DeepClone();
        }
        else
        {
            ((JsonArray)container)[index] = value?.DeepClone();
        }

        return root;
    }

    private static void Move(JsonNode root, JsonObject operation)
    {
        var from = ReadString(operation, "from")
            ?? throw new PatchException($"move operation failed to decode from: operation, missing from field: {Missing}");
        var (source, sourceKey) = FindParent(root, from);
        if (source is null)
        {
            throw new PatchException($"move operation does not apply: doc is missing from path: {from}: {Missing}");
        }

        var error = TryDetach(source, sourceKey, out var value);
        if (error is not null)
        {
            throw new PatchException($"error in move for path: '{sourceKey}': {error}");
        }

        var path = RequirePath(operation, "move");
        var (target, key) = FindParent(root, path);
        if (target is null)
        {
            throw new PatchException($"move operation does not apply: doc is missing destination path: {path}: {Missing}");
        }

        error = TryInsert(target, key, value);
        if (error is not null)
        {
            throw new PatchException($"error in move for path: '{path}': {error}");
        }
    }

    private static void Copy(JsonNode root, JsonObject operation)
    {
        var from = ReadString(operation, "from")
            ?? throw new PatchException($"copy operation failed to decode from: operation, missing from field: {Missing}");
        var (source, sourceKey) = FindParent(root, from);
        if (source is null)
        {
            throw new PatchException($"copy operation does not apply: doc is missing from path: {from}: {Missing}");
        }

        var error = TryGet(source, sourceKey, out var value, out _);
        if (error is not null)
        {
            throw new PatchException($"error in copy for from: '{from}': {error}");
        }

        var path = RequirePath(operation, "copy");
        var (target, key) = FindParent(root, path);
        if (target is null)
        {
            throw new PatchException($"copy operation does not apply: doc is missing destination path: {path}: {Missing}");
        }

        error = TryInsert(target, key, value?.DeepClone());
        if (error is not null)
        {
            throw new PatchException($"error while adding value during copy: {error}");
        }
    }

    private static void Test(JsonNode root, string path, JsonNode? expected)
    {
        JsonNode? actual;
        if (path.Length == 0)
        {
            actual = root;
        }
        else
        {
            var (container, key) = FindParent(root, path);
            if (container is null)
            {
                throw new PatchException($"test operation does not apply: is missing path: {path}: {Missing}");
            }

            // A missing member tests equal to null, as in evanphx/json-patch.
            if (container is JsonObject obj)
            {
                obj.TryGetPropertyValue(key, out actual);
            }
            else
            {
                var error = TryGet(container, key, out actual, out _);
                if (error is not null)
                {
                    throw new PatchException($"error in test for path: '{path}': {error}");
                }
            }
        }

        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw new PatchException($"testing value {path} failed: test failed", PatchErrorKind.Conflict);
        }
    }

    /// <summary>Walks to the container holding the last path segment; null when any step is missing.</summary>
    private static (JsonNode? Container, string Key) FindParent(JsonNode root, string path)
    {
        var segments = JsonPointer.Parse(path);
        if (segments is null || segments.Count == 0)
        {
            return (null, "");
        }

        JsonNode? current = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            if (current is null || TryGet(current, segments[i], out var next, out _) is not null || next is not (JsonObject or JsonArray))
            {
                return (null, "");
            }

            current = next;
        }

        return current is JsonObject or JsonArray ? (current, segments[^1]) : (null, "");
    }

    private static string? TryGet(JsonNode container, string key, out JsonNode? value, out int index)
    {
        index = -1;
        value = null;
        if (container is JsonObject obj)
        {
            return obj.TryGetPropertyValue(key, out value) ? null : $"unable to get nonexistent key: {key}: {Missing}";
        }

        var array = (JsonArray)container;
        var error = ParseIndex(key, out index);
        if (error is not null)
        {
            return error;
        }

        if (index < 0)
        {
            if (index < -array.Count)
            {
                return $"Unable to access invalid index: {index}: {InvalidIndex}";
            }

            index += array.Count;
        }

        if (index >= array.Count)
        {
            return $"Unable to access invalid index: {index}: {InvalidIndex}";
        }

        value = array[index];
        return null;
    }

    private static string? TryDetach(JsonNode container, string key, out JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            if (!obj.Remove(key, out value))
            {
                return $"Unable to remove nonexistent key: {key}: {Missing}";
            }

            return null;
        }

        var error = TryGet(container, key, out value, out var index);
        if (error is null)
        {
            ((JsonArray)container).RemoveAt(index);
        }

        return error;
    }

    private static string? TryInsert(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[key] = value;
            return null;
        }

        var array = (JsonArray)container;
        if (key == "-")
        {
            array.Add(value);
            return null;
        }

        if (!int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return $"value was not a proper array index: '{key}': strconv.Atoi: parsing \"{key}\": invalid syntax";
        }

        var size = array.Count + 1;
        if (index >= size || index < -size)
        {
            return $"Unable to access invalid index: {index}: {InvalidIndex}";
        }

        array.Insert(index < 0 ? index + size : index, value);
        return null;
    }

    private static string? ParseIndex(string key, out int index) =>
        int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index)
            ? null
            : $"strconv.Atoi: parsing \"{key}\": invalid syntax";

    private static string RequirePath(JsonObject operation, string kind) =>
        ReadString(operation, "path")
            ?? throw new PatchException($"{kind} operation failed to decode path: {Missing}");

    private static string? ReadString(JsonObject operation, string name) =>
        operation[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string GoKind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        _ => "null",
    };
}
