using System.Globalization;
using System.Text;

namespace KubeWeb.Agent.Streams.Logs;

/// <summary>One line of a CRI container log: <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;text&gt;</c>.</summary>
/// <param name="Timestamp">The time as written (nanoseconds kept), for <c>timestamps=true</c>.</param>
/// <param name="Partial">P: the text continues in the next line of the same stream; F: the line is complete.</param>
public readonly record struct CriLogEntry(string Timestamp, DateTimeOffset Time, bool IsStderr, bool Partial, ReadOnlyMemory<byte> Content);

/// <summary>Parses CRI log lines (the format containerd and CRI-O write, and kubelet reads).</summary>
public static class CriLogParser
{
    /// <summary>Parses one line without its trailing newline; false for a malformed line (skipped, as the kubelet does).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> line, out CriLogEntry entry)
    {
        entry = default;
        var span = line.Span;
        var first = span.IndexOf((byte)' ');
        if (first <= 0)
        {
            return false;
        }

        var timestamp = Encoding.ASCII.GetString(span[..first]);
        if (!TryParseTime(timestamp, out var time))
        {
            return false;
        }

        var rest = span[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0)
        {
            return false;
        }

        var stream = rest[..second];
        bool stderr;
        if (stream.SequenceEqual("stdout"u8))
        {
            stderr = false;
        }
        else if (stream.SequenceEqual("stderr"u8))
        {
            stderr = true;
        }
        else
        {
            return false;
        }

        var offset = first + 1 + second + 1;
        rest = span[offset..];
        // Tags are ':'-separated; the first is P or F. A line may end right after the tag (empty text).
        var third = rest.IndexOf((byte)' ');
        var tags = third < 0 ? rest : rest[..third];
        if (tags.Length == 0)
        {
            return false;
        }

        var colon = tags.IndexOf((byte)':');
        var tag = colon < 0 ? tags : tags[..colon];
        bool partial;
        if (tag.SequenceEqual("P"u8))
        {
            partial = true;
        }
        else if (tag.SequenceEqual("F"u8))
        {
            partial = false;
        }
        else
        {
            return false;
        }

        var content = third < 0 ? ReadOnlyMemory<byte>.Empty : line[(offset + third + 1)..];
        entry = new CriLogEntry(timestamp, time, stderr, partial, content);
        return true;
    }

    /// <summary>RFC 3339 with up to nine fraction digits (.NET parses seven).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var normalized = text;
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            var digits = Math.Min(end - dot - 1, 7);
            normalized = text[..(dot + 1 + digits)] + text[end..];
            if (digits == 0)
            {
                normalized = text[..dot] + text[end..];
            }
        }

        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>RFC3339Nano as Go formats it: UTC, trailing fraction zeros dropped.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }
}
