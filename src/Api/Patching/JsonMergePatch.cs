using System.Text.Json.Nodes;

namespace KubeWeb.Api.Patching;

/// <summary>
/// RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>): objects merge recursively,
/// <c>null</c> removes a member, anything else (arrays included) replaces the target value.
/// Inputs are never modified; the result shares no nodes with them.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>Returns <paramref name="target"/> with <paramref name="patch"/> merged in.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return MergeInto(target?.DeepClone(), patch);
    }

    /// <summary>Merges into <paramref name="target"/>, which the caller owns, and returns the result.</summary>
    private static JsonNode? MergeInto(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            var current = result[name];
            var merged = MergeInto(current, value);
            if (!ReferenceEquals(current, merged))
            {
                result[name] = merged;
            }
        }

        return result;
    }
}
