using System.Text;

namespace KubeWeb.Agent.Streams.Logs;

/// <summary>
/// Appends lines to a CRI-format log file, as a container runtime's log shim does. The simulated
/// runtime uses it for its containers' output; tests use it to make logs to read.
/// </summary>
public static class CriLogWriter
{
    /// <summary>One line; <paramref name="partial"/> writes a P line (the text continues in the next one).</summary>
    public static void Append(string path, DateTimeOffset time, bool stderr, string text, bool partial = false)
    {
        var line = $"{CriLogParser.FormatTime(time)} {(stderr ? "stderr" : "stdout")} {(partial ? "P" : "F")} {text}\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.UTF8.GetBytes(line));
    }

    /// <summary>Several lines with one timestamp in one write (one folder check and one open, not one per line).</summary>
    public static void Append(string path, DateTimeOffset time, params ReadOnlySpan<(bool Stderr, string Text, bool Partial)> lines)
    {
        var stamp = CriLogParser.FormatTime(time);
        var text = new StringBuilder();
        foreach (var (stderr, line, partial) in lines)
        {
            text.Append(stamp).Append(stderr ? " stderr " : " stdout ").Append(partial ? "P " : "F ").Append(line).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
