using System.Text.Json.Nodes;
using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// What may change in a running pod's spec: images, a shorter activeDeadlineSeconds, added
/// tolerations, and terminationGracePeriodSeconds from negative to 1. Anything else is rejected
/// with upstream's message, followed by the list of other fields that differ.
/// </summary>
internal static class PodUpdateRules
{
    public const string Message =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`," +
        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)," +
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static IEnumerable<FieldError> Validate(V1PodSpec spec, V1PodSpec old)
    {
        var errors = new List<FieldError>();
        if (spec.ActiveDeadlineSeconds is { } deadline)
        {
            if (old.ActiveDeadlineSeconds is { } oldDeadline && deadline > oldDeadline)
            {
                errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value"));
            }
        }
        else if (old.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
        }

        foreach (var (t, i) in (old.Tolerations ?? []).Select((t, i) => (t, i)))
        {
            if (!(spec.Tolerations ?? []).Any(n => SameExceptSeconds(n, t)))
            {
                errors.Add(FieldError.Forbidden(Checks.Index("spec.tolerations", i), "existing toleration can not be modified except its tolerationSeconds"));
            }
        }

        var a = Munge(spec, old);
        var b = Checks.Normalize(old)!.AsObject();
        if (!JsonNode.DeepEquals(a, b))
        {
            var changed = a.Select(p => p.Key).Union(b.Select(p => p.Key))
                .Where(k => !JsonNode.DeepEquals(a[k], b[k]))
                .Order(StringComparer.Ordinal)
                .Select(k => "spec." + k);
            errors.Add(FieldError.Forbidden("spec", Message + "\n  changed: " + string.Join(", ", changed)));
        }

        return errors;
    }

    /// <summary>The new spec with every allowed change reverted to the old value.</summary>
    private static JsonObject Munge(V1PodSpec spec, V1PodSpec old)
    {
        var node = Checks.Normalize(spec)!.AsObject();
        var oldNode = Checks.Normalize(old)!.AsObject();
        CopyImages(node, oldNode, "containers");
        CopyImages(node, oldNode, "initContainers");
        Copy(node, oldNode, "activeDeadlineSeconds");
        Copy(node, oldNode, "tolerations");
        if (old.TerminationGracePeriodSeconds < 0 && spec.TerminationGracePeriodSeconds == 1)
        {
            Copy(node, oldNode, "terminationGracePeriodSeconds");
        }

        return node;
    }

    private static void CopyImages(JsonObject node, JsonObject old, string list)
    {
        if (node[list] is JsonArray a && old[list] is JsonArray b && a.Count == b.Count)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is JsonObject c && b[i] is JsonObject o)
                {
                    c["image"] = o["image"]?.DeepClone();
                }
            }
        }
    }

    private static void Copy(JsonObject node, JsonObject old, string key)
    {
        node.Remove(key);
        if (old[key] is { } value)
        {
            node[key] = value.DeepClone();
        }
    }

    private static bool SameExceptSeconds(V1Toleration a, V1Toleration b) =>
        a.Key == b.Key && (a.OperatorProperty ?? "Equal") == (b.OperatorProperty ?? "Equal")
        && (a.Value ?? "") == (b.Value ?? "") && (a.Effect ?? "") == (b.Effect ?? "");
}
