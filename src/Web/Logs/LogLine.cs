using System.Globalization;

namespace KubeWeb.Web.Logs;

/// <summary>One line a container printed, as the API returned it with <c>timestamps=true</c>.</summary>
/// <param name="Seq">Arrival order across every stream of a page (stable key for rendering).</param>
/// <param name="Source">Which stream it came from (pod and container).</param>
/// <param name="Timestamp">The runtime's timestamp, or null when the line carried none.</param>
public sealed record LogLine(long Seq, LogSource Source, DateTimeOffset? Timestamp, string Text)
{
    /// <summary>
    /// Splits <c>2026-01-02T03:04:05.123456789Z text</c> into its timestamp and text. The API gives
    /// RFC 3339 with nanoseconds; .NET parses at most 7 fractional digits, so extra ones are cut.
    /// </summary>
    public static (DateTimeOffset? Timestamp, string Text) Parse(string raw)
    {
        var space = raw.IndexOf(' ');
        var stamp = space < 0 ? raw : raw[..space];
        if (stamp.Length < 20 || stamp[4] != '-' || stamp[10] != 'T')
        {
            return (null, raw);
        }

        var dot = stamp.IndexOf('.');
        var zone = stamp.IndexOfAny(['Z', '+'], 19);
        if (dot > 0 && zone > dot + 8)
        {
            stamp = string.Concat(stamp.AsSpan(0, dot + 8), stamp.AsSpan(zone));
        }

        return DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)
            ? (ts, space < 0 ? "" : raw[(space + 1)..])
            : (null, raw);
    }

    /// <summary>The line as kubectl prints it with <c>--timestamps</c> and <c>--prefix</c> as asked.</summary>
    public string Format(bool timestamps, bool prefix)
    {
        var text = Text;
        if (timestamps && Timestamp is { } ts)
        {
            text = ts.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + " " + text;
        }

        return prefix ? $"[{Source.Label}] {text}" : text;
    }
}

/// <summary>A log stream: one container of one pod.</summary>
public sealed record LogSource(string Pod, string Container)
{
    public string Label => $"pod/{Pod}/{Container}";

    /// <summary>One of <see cref="LogColors.Count"/> colours, stable for a pod name across renders and circuits.</summary>
    public int Color => LogColors.For(Pod);
}

/// <summary>Picks a colour slot per pod so the lines of several pods tell apart at a glance.</summary>
public static class LogColors
{
    public const int Count = 8;

    public static int For(string pod)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and the colour should not change on reload.
        var hash = 2166136261u;
        foreach (var c in pod)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }
}
