using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Controllers.Apps;

/// <summary>
/// The <c>pod-template-hash</c> of a Deployment's template (upstream controller.ComputeHash):
/// FNV-32a over the template, then the collision count as 8 little-endian bytes, printed in decimal
/// and safe-encoded (no vowels, no look-alikes). Upstream hashes Go's dump of the struct; here the
/// dump is the canonical JSON (keys sorted, nulls and empty collections dropped), so equal templates
/// hash equally and the value is stable across restarts.
/// </summary>
internal static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)))
        {
            hash = (hash ^ b) * 16777619u;
        }

        if (collisionCount is { } count)
        {
            var bytes = new byte[8];
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), (uint)count);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes, 0, 4);
            }

            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 16777619u;
            }
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>rand.SafeEncodeString: each character replaced by an alphabet entry chosen by its code.</summary>
    public static string SafeEncode(string s)
    {
        var chars = new char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            chars[i] = SafeAlphabet[s[i] % SafeAlphabet.Length];
        }

        return new string(chars);
    }

    /// <summary>Templates equal apart from the pod-template-hash label (upstream EqualIgnoreHash).</summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) =>
        Canonical(a, dropHash: true) == Canonical(b, dropHash: true);

    /// <summary>A copy of the template with the hash label added.</summary>
    public static V1PodTemplateSpec WithHash(V1PodTemplateSpec template, string hash)
    {
        var copy = ObjectCopy.Clone(template);
        copy.Metadata ??= new V1ObjectMeta();
        copy.Metadata.Labels = new Dictionary<string, string>(copy.Metadata.Labels ?? new Dictionary<string, string>()) { [Label] = hash };
        return copy;
    }

    public static string Canonical(V1PodTemplateSpec? template, bool dropHash = false)
    {
        if (template is null)
        {
            return "";
        }

        var node = KubeJson.ToNode(template, typeof(V1PodTemplateSpec));
        if (dropHash && node?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
        }

        return Normalize(node)?.ToJsonString() ?? "";
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var sorted = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (Normalize(value) is { } v)
                    {
                        sorted[key] = v;
                    }
                }

                return sorted.Count == 0 ? null : sorted;
            }

            case JsonArray array:
            {
                var copy = new JsonArray();
                foreach (var item in array)
                {
                    copy.Add(Normalize(item) ?? new JsonObject());
                }

                return copy.Count == 0 ? null : copy;
            }

            case null:
                return null;
            default:
                return node.DeepClone();
        }
    }
}
