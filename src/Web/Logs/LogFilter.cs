namespace KubeWeb.Web.Logs;

/// <summary>The page's search: lines that contain the text (case-insensitive), and where, for highlighting.</summary>
public static class LogFilter
{
    public static bool Matches(string text, string? search) =>
        string.IsNullOrEmpty(search) || text.Contains(search, StringComparison.OrdinalIgnoreCase);

    /// <summary>The text cut into runs, each marked whether it matches the search.</summary>
    public static IEnumerable<(string Text, bool Match)> Segments(string text, string? search)
    {
        if (string.IsNullOrEmpty(search))
        {
            yield return (text, false);
            yield break;
        }

        var start = 0;
        while (start < text.Length)
        {
            var at = text.IndexOf(search, start, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                break;
            }

            if (at > start)
            {
                yield return (text[start..at], false);
            }

            yield return (text.Substring(at, search.Length), true);
            start = at + search.Length;
        }

        if (start < text.Length)
        {
            yield return (text[start..], false);
        }
    }
}
