using k8s.Models;

namespace KubeWeb.Controllers.Scheduling.Cache;

/// <summary>
/// A label selector compiled for the scheduler's hot loops (inter-pod affinity and spreading
/// match it against every pod in the cluster): plain arrays, no LINQ, no allocation per match.
/// A nil selector matches nothing, an empty one everything (metav1.LabelSelectorAsSelector).
/// </summary>
internal sealed class LabelMatcher
{
    public static readonly LabelMatcher Nothing = new([], matchesNothing: true);

    private readonly Requirement[] _requirements;
    private readonly bool _matchesNothing;

    private enum Op
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private readonly record struct Requirement(string Key, Op Op, string[] Values);

    private LabelMatcher(Requirement[] requirements, bool matchesNothing = false)
    {
        _requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    /// <exception cref="FormatException">An unknown operator.</exception>
    public static LabelMatcher From(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<Requirement>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            requirements.Add(new Requirement(k, Op.In, [v]));
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var op = e.OperatorProperty switch
            {
                "In" => Op.In,
                "NotIn" => Op.NotIn,
                "Exists" => Op.Exists,
                "DoesNotExist" => Op.DoesNotExist,
                _ => throw new FormatException($"\"{e.OperatorProperty}\" is not a valid label selector operator"),
            };
            requirements.Add(new Requirement(e.Key, op, [.. e.Values ?? []]));
        }

        return new LabelMatcher([.. requirements]);
    }

    /// <summary>This selector with key In (value) added for each key the labels have (matchLabelKeys).</summary>
    public LabelMatcher WithValuesOf(IEnumerable<string> keys, IDictionary<string, string> labels) =>
        _matchesNothing ? this : new LabelMatcher([.. _requirements, .. keys.Where(labels.ContainsKey).Select(k => new Requirement(k, Op.In, [labels[k]]))]);

    public bool Matches(IDictionary<string, string> labels)
    {
        if (_matchesNothing)
        {
            return false;
        }

        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.In => has && Array.IndexOf(r.Values, value) >= 0,
                Op.NotIn => !has || Array.IndexOf(r.Values, value) < 0,
                Op.Exists => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
