namespace KubeWeb.Web.Logs;

/// <summary>
/// The lines a logs page holds, capped: past <see cref="Capacity"/> the oldest are dropped (and
/// counted) so a chatty workload followed for hours cannot grow the circuit's memory. Writers are
/// the stream tasks, the reader is the render; both take the lock.
/// </summary>
public sealed class LogBuffer(int capacity)
{
    private readonly Queue<LogLine> _lines = new();
    private readonly Lock _lock = new();
    private long _seq;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Lines dropped from the front since the last <see cref="Clear"/>.</summary>
    public long Dropped { get; private set; }

    /// <summary>Bumped by every change, so a render can tell whether anything is new.</summary>
    public long Version { get; private set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    public LogLine Add(LogSource source, DateTimeOffset? timestamp, string text)
    {
        lock (_lock)
        {
            var line = new LogLine(++_seq, source, timestamp, text);
            _lines.Enqueue(line);
            while (_lines.Count > Capacity)
            {
                _lines.Dequeue();
                Dropped++;
            }

            Version++;
            return line;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _lines.Clear();
            Dropped = 0;
            Version++;
        }
    }

    /// <summary>A copy of the lines held now, oldest first.</summary>
    public IReadOnlyList<LogLine> Snapshot()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }
}
