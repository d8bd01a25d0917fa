using System.Text;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Streams.Logs;

/// <summary>
/// Copies one CRI-format container log file out as <c>pods/log</c> does: partial (P) lines joined to
/// their full (F) line per stream, then <c>sinceTime</c>/<c>sinceSeconds</c>, <c>tailLines</c>,
/// <c>timestamps</c> and <c>limitBytes</c> applied; with <c>follow</c> it keeps reading as the file grows
/// until <paramref name="isWriting"/> says the container stopped (or the caller cancels).
/// </summary>
/// <param name="path">The log file; a missing file reads as empty.</param>
/// <param name="isWriting">Whether the container may still append (checked when the file has no new data).</param>
public sealed class CriLogReader(string path, PodLogRequest options, Func<bool> isWriting, TimeProvider time) : IPodLogReader
{
    private const int ReadSize = 64 * 1024;
    private readonly PendingLine _stdout = new();
    private readonly PendingLine _stderr = new();
    private long _remaining = options.LimitBytes is { } l and > 0 ? l : long.MaxValue;

    /// <summary>How often a followed file is checked for new data.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public async Task CopyToAsync(Stream output, CancellationToken ct)
    {
        var since = options.SinceTime ?? (options.SinceSeconds is { } s ? time.GetUtcNow() - TimeSpan.FromSeconds(s) : null);
        var file = await OpenAsync(ct);
        if (file is null)
        {
            return;
        }

        await using (file)
        {
            var buffer = new byte[ReadSize];
            var carry = new List<byte>();
            Queue<LogMessage>? tail = options.TailLines is { } n ? new Queue<LogMessage>() : null;
            var tailCount = options.TailLines ?? 0;
            var messages = new List<LogMessage>();

            // What is in the file now: the tail applies to it.
            while (await ReadLinesAsync(file, buffer, carry, messages, since, ct))
            {
                if (tail is null)
                {
                    if (!await WriteAsync(output, messages, ct))
                    {
                        return;
                    }
                }
                else
                {
                    foreach (var m in messages)
                    {
                        tail.Enqueue(m);
                        if (tail.Count > tailCount)
                        {
                            tail.Dequeue();
                        }
                    }
                }

                messages.Clear();
            }

            if (tail is not null && !await WriteAsync(output, [.. tail], ct))
            {
                return;
            }

            await output.FlushAsync(ct);
            if (!options.Follow)
            {
                return;
            }

            while (!ct.IsCancellationRequested)
            {
                var writing = isWriting();
                var any = false;
                while (await ReadLinesAsync(file, buffer, carry, messages, since, ct))
                {
                    any = true;
                    if (!await WriteAsync(output, messages, ct))
                    {
                        return;
                    }

                    messages.Clear();
                }

                if (any)
                {
                    await output.FlushAsync(ct);
                }

                // Stopped before this last read: everything it wrote has been copied.
                if (!writing)
                {
                    return;
                }

                await Task.Delay(PollInterval, time, ct);
            }
        }
    }

    private async Task<FileStream?> OpenAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                if (!options.Follow || !isWriting())
                {
                    return null;
                }
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    /// <summary>Reads one chunk; adds the complete messages it finishes. False at the current end of the file.</summary>
    private async Task<bool> ReadLinesAsync(FileStream file, byte[] buffer, List<byte> carry, List<LogMessage> messages, DateTimeOffset? since, CancellationToken ct)
    {
        var read = await file.ReadAsync(buffer, ct);
        if (read == 0)
        {
            return false;
        }

        var start = 0;
        for (var i = 0; i < read; i++)
        {
            if (buffer[i] != (byte)'\n')
            {
                continue;
            }

            byte[] line;
            if (carry.Count > 0)
            {
                carry.AddRange(buffer.AsSpan(start, i - start));
                line = [.. carry];
                carry.Clear();
            }
            else
            {
                line = buffer.AsSpan(start, i - start).ToArray();
            }

            start = i + 1;
            if (CriLogParser.TryParse(line, out var entry) && Join(entry) is { } message && (since is null || message.Time >= since))
            {
                messages.Add(message);
            }
        }

        // A line still being written stays for the next read.
        carry.AddRange(buffer.AsSpan(start, read - start));
        return true;
    }

    private LogMessage? Join(CriLogEntry entry)
    {
        var pending = entry.IsStderr ? _stderr : _stdout;
        if (entry.Partial)
        {
            pending.Add(entry);
            return null;
        }

        if (pending.Content.Length == 0 && pending.Timestamp is null)
        {
            return new LogMessage(entry.Timestamp, entry.Time, entry.Content.ToArray());
        }

        pending.Add(entry);
        var joined = new LogMessage(pending.Timestamp!, pending.Time, pending.Content.ToArray());
        pending.Reset();
        return joined;
    }

    /// <summary>False once <c>limitBytes</c> is used up.</summary>
    private async Task<bool> WriteAsync(Stream output, IReadOnlyList<LogMessage> messages, CancellationToken ct)
    {
        foreach (var m in messages)
        {
            var bytes = options.Timestamps
                ? [.. Encoding.ASCII.GetBytes(m.Timestamp + " "), .. m.Content, (byte)'\n']
                : (byte[])[.. m.Content, (byte)'\n'];
            var count = (int)Math.Min(bytes.Length, _remaining);
            await output.WriteAsync(bytes.AsMemory(0, count), ct);
            _remaining -= count;
            if (_remaining <= 0)
            {
                await output.FlushAsync(ct);
                return false;
            }
        }

        return true;
    }

    private sealed record LogMessage(string Timestamp, DateTimeOffset Time, byte[] Content);

    private sealed class PendingLine
    {
        public string? Timestamp { get; private set; }

        public DateTimeOffset Time { get; private set; }

        public MemoryStream Content { get; } = new();

        public void Add(CriLogEntry entry)
        {
            if (Timestamp is null)
            {
                Timestamp = entry.Timestamp;
                Time = entry.Time;
            }

            Content.Write(entry.Content.Span);
        }

        public void Reset()
        {
            Timestamp = null;
            Content.SetLength(0);
        }
    }
}
