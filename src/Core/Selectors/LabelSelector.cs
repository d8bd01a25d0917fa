using k8s.Models;

namespace KubeWeb.Core.Selectors;

public enum SelectorOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

public sealed record LabelRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            SelectorOperator.Equals or SelectorOperator.In => has && Values.Contains(value!),
            SelectorOperator.NotEquals or SelectorOperator.NotIn => !has || !Values.Contains(value!),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            SelectorOperator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values[0]),
            SelectorOperator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values[0]),
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        SelectorOperator.Equals => $"{Key}={Values[0]}",
        SelectorOperator.NotEquals => $"{Key}!={Values[0]}",
        SelectorOperator.In => $"{Key} in ({string.Join(",", Values)})",
        SelectorOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        SelectorOperator.Exists => Key,
        SelectorOperator.DoesNotExist => "!" + Key,
        SelectorOperator.GreaterThan => $"{Key}>{Values[0]}",
        SelectorOperator.LessThan => $"{Key}<{Values[0]}",
        _ => Key,
    };
}

/// <summary>
/// A parsed label selector in the string syntax of the Kubernetes API (<c>a=b,c!=d,e in (f,g),!h</c>)
/// or built from a <see cref="V1LabelSelector"/>. An empty selector matches everything.
/// </summary>
public sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    /// <summary>Matches nothing: what a nil <see cref="V1LabelSelector"/> means to controllers.</summary>
    public static readonly LabelSelector Nothing = new([]) { _nothing = true };

    private bool _nothing;

    public LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0 && !_nothing;

    public bool Matches(IDictionary<string, string>? labels) =>
        !_nothing && Requirements.All(r => r.Matches(labels));

    public override string ToString() => string.Join(",", Requirements);

    /// <exception cref="FormatException">The text is not a valid selector; the message says why.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new LabelSelector(requirements);
    }

    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            selector = Nothing;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A nil selector selects nothing, an empty one everything (as metav1.LabelSelectorAsSelector).</summary>
    public static LabelSelector FromApi(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            requirements.Add(new(k, SelectorOperator.Equals, [v]));
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var op = e.OperatorProperty switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => throw new FormatException($"\"{e.OperatorProperty}\" is not a valid label selector operator"),
            };
            requirements.Add(new(e.Key, op, [.. e.Values ?? []]));
        }

        return new LabelSelector(requirements);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static LabelRequirement ParseRequirement(string s)
    {
        if (s.Length == 0)
        {
            throw new FormatException("found '', expected: identifier");
        }

        if (s[0] == '!')
        {
            var key = s[1..].Trim();
            ValidateKey(key);
            return new(key, SelectorOperator.DoesNotExist, []);
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(s, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            ValidateKey(key);
            var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries)
                .Where(v => v.Length > 0).ToArray();
            foreach (var v in values)
            {
                ValidateValue(v);
            }

            var op = setMatch.Groups[2].Value == "in" ? SelectorOperator.In : SelectorOperator.NotIn;
            if (op == SelectorOperator.In && values.Length == 0)
            {
                throw new FormatException($"for 'in' operator, values set can't be empty");
            }

            return new(key, op, values);
        }

        foreach (var (token, op) in new[]
                 {
                     ("!=", SelectorOperator.NotEquals), ("==", SelectorOperator.Equals), ("=", SelectorOperator.Equals),
                     (">", SelectorOperator.GreaterThan), ("<", SelectorOperator.LessThan),
                 })
        {
            var at = s.IndexOf(token, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var key = s[..at].Trim();
            var value = s[(at + token.Length)..].Trim();
            ValidateKey(key);
            if (op is SelectorOperator.GreaterThan or SelectorOperator.LessThan)
            {
                if (!long.TryParse(value, out _))
                {
                    throw new FormatException($"for 'Gt', 'Lt' operators, the value must be an integer");
                }
            }
            else
            {
                ValidateValue(value);
            }

            return new(key, op, [value]);
        }

        ValidateKey(s);
        return new(s, SelectorOperator.Exists, []);
    }

    private static void ValidateKey(string key)
    {
        if (!Validation.NameValidation.IsQualifiedName(key, out var error))
        {
            throw new FormatException($"invalid label key \"{key}\": {error}");
        }
    }

    private static void ValidateValue(string value)
    {
        if (!Validation.NameValidation.IsLabelValue(value, out var error))
        {
            throw new FormatException($"invalid label value: \"{value}\": at key: {error}");
        }
    }
}
