using k8s.Models;
using KubeWeb.Controllers.Scheduling.Cache;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>Node selector terms against a node: label expressions (In, NotIn, Exists, DoesNotExist, Gt, Lt) and metadata.name fields.</summary>
internal static class NodeSelectors
{
    /// <summary>spec.nodeSelector plus required node affinity (terms ORed), as upstream's RequiredNodeAffinity.</summary>
    public static bool MatchesRequired(V1Pod pod, NodeInfo node)
    {
        if (pod.Spec?.NodeSelector is { Count: > 0 } selector)
        {
            foreach (var (k, v) in selector)
            {
                if (!node.Labels.TryGetValue(k, out var actual) || actual != v)
                {
                    return false;
                }
            }
        }

        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is null)
        {
            return true;
        }

        foreach (var term in terms)
        {
            if (Matches(term, node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A term matches when all its requirements do; a term with none matches nothing.</summary>
    public static bool Matches(V1NodeSelectorTerm? term, NodeInfo node) => Matches(term, node.Name, node.Labels);

    /// <summary>The same for a node known by name and labels (a volume's node affinity).</summary>
    public static bool Matches(V1NodeSelectorTerm? term, string nodeName, IDictionary<string, string> labels)
    {
        var expressions = term?.MatchExpressions;
        var fields = term?.MatchFields;
        if ((expressions?.Count ?? 0) == 0 && (fields?.Count ?? 0) == 0)
        {
            return false;
        }

        foreach (var e in expressions ?? [])
        {
            var has = labels.TryGetValue(e.Key, out var value);
            if (!Matches(e, has, value))
            {
                return false;
            }
        }

        foreach (var f in fields ?? [])
        {
            if (f.Key != "metadata.name" || !Matches(f, true, nodeName))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(V1NodeSelectorRequirement r, bool has, string? value)
    {
        var values = r.Values ?? [];
        return r.OperatorProperty switch
        {
            "In" => has && values.Contains(value!),
            "NotIn" => !has || !values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && values.Count == 1 && long.TryParse(value, out var a) && long.TryParse(values[0], out var b) && a > b,
            "Lt" => has && values.Count == 1 && long.TryParse(value, out var c) && long.TryParse(values[0], out var d) && c < d,
            _ => false,
        };
    }
}
