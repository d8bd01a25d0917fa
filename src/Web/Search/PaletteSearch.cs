using KubeWeb.Web.Api;

namespace KubeWeb.Web.Search;

/// <summary>
/// Ranks objects for a palette query: a leading kind ("deploy web", "po/web-1", "svc:") narrows the
/// kinds; then exact names first, then prefixes, then substrings (earlier is better), then the
/// letters in order. Pure, so the palette's filtering is tested without a browser.
/// </summary>
public static class PaletteSearch
{
    public static IReadOnlyList<SearchEntry> Filter(IEnumerable<SearchEntry> entries, string? query, int max = 20)
    {
        var (kind, text) = Parse(query);
        if (kind is null && text.Length == 0)
        {
            return [];
        }

        return [.. entries
            .Where(e => kind is null || e.Kind == kind)
            .Select(e => (e, score: Score(e.Name, text)))
            .Where(x => x.score < int.MaxValue)
            .OrderBy(x => x.score)
            .ThenBy(x => x.e.Name.Length)
            .ThenBy(x => x.e.Name, StringComparer.Ordinal)
            .ThenBy(x => x.e.Namespace, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.e)];
    }

    /// <summary>Splits "deploy/web", "deploy web" or "deployments:web" into a kind and the name text, when the first word names a kind.</summary>
    public static (ConsoleKind? Kind, string Text) Parse(string? query)
    {
        var q = (query ?? "").Trim();
        var cut = q.IndexOfAny(['/', ' ', ':']);
        if (cut > 0 && KindByWord(q[..cut]) is { } kind)
        {
            return (kind, q[(cut + 1)..].Trim());
        }

        return (null, q);
    }

    public static ConsoleKind? KindByWord(string word) => ConsoleKinds.All.FirstOrDefault(k =>
        k.Plural.Equals(word, StringComparison.OrdinalIgnoreCase) || k.Type.Singular.Equals(word, StringComparison.OrdinalIgnoreCase)
        || k.Title.Equals(word, StringComparison.OrdinalIgnoreCase) || k.Type.ShortNames.Contains(word.ToLowerInvariant()));

    /// <summary>Lower is better; <see cref="int.MaxValue"/> means no match.</summary>
    internal static int Score(string name, string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        if (name.Equals(text, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (name.StartsWith(text, StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        var at = name.IndexOf(text, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            return 100 + at;
        }

        // Letters in order ("wb1" finds "web-1"): ranked after every substring match, tighter first.
        var pos = -1;
        var first = -1;
        foreach (var ch in text)
        {
            pos = name.IndexOf(ch.ToString(), pos + 1, StringComparison.OrdinalIgnoreCase);
            if (pos < 0)
            {
                return int.MaxValue;
            }

            first = first < 0 ? pos : first;
        }

        return 10_000 + (pos - first);
    }
}
