using System.Text.Json.Nodes;

namespace KubeWeb.Web.Logs;

/// <summary>What a logs page follows for an object: its pods (by the workload's selector) and the container names.</summary>
public static class LogTargets
{
    /// <summary>Kinds whose pods a logs page can follow together.</summary>
    public static bool IsWorkload(string plural) => plural is "deployments" or "replicasets" or "statefulsets" or "daemonsets" or "jobs";

    public static bool HasLogs(string plural) => plural == "pods" || IsWorkload(plural);

    /// <summary>
    /// The workload's <c>spec.selector</c> as a label selector string (matchLabels and
    /// matchExpressions), or null when it has none (a selector that would match every pod is not followed).
    /// </summary>
    public static string? Selector(JsonObject workload)
    {
        if (workload["spec"]?["selector"] is not JsonObject selector)
        {
            return null;
        }

        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(string?)p.Value}"));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var key = (string?)e["key"];
                var values = (e["values"] as JsonArray)?.Select(v => (string?)v).ToList() ?? [];
                parts.Add((string?)e["operator"] switch
                {
                    "In" => $"{key} in ({string.Join(',', values)})",
                    "NotIn" => $"{key} notin ({string.Join(',', values)})",
                    "Exists" => $"{key}",
                    "DoesNotExist" => $"!{key}",
                    _ => "",
                });
            }
        }

        parts.RemoveAll(string.IsNullOrEmpty);
        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    /// <summary>Container names (init containers first) of a pod or of a workload's pod template.</summary>
    public static IReadOnlyList<string> Containers(JsonObject obj)
    {
        var spec = (string?)obj["kind"] == "Pod" ? obj["spec"] : obj["spec"]?["template"]?["spec"];
        return [.. Names(spec?["initContainers"]), .. Names(spec?["containers"])];
    }

    private static IEnumerable<string> Names(JsonNode? list) =>
        (list as JsonArray)?.Select(c => (string?)c?["name"]).OfType<string>() ?? [];
}
