using k8s.Models;
using KubeWeb.Agent.Runtime;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Events;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Pods;

/// <summary>The server side of event reports (the hub connection, or a fake in tests).</summary>
internal interface IPodEventClient
{
    Task<int> ReportEventsAsync(IReadOnlyList<PodEventReport> reports, CancellationToken ct);
}

/// <summary>
/// The kubelet's event recorder: <see cref="Record"/> never blocks; it correlates as client-go does
/// (the same pod, field path, type, reason and message within <see cref="CorrelationWindow"/> bumps
/// the count of one Event, named <c>pod.&lt;hex nanoseconds&gt;</c> when first seen) and queues the
/// Event's latest state. Like client-go's spam filter, each pod/type/reason/message may send a
/// burst of <see cref="SpamBurst"/> updates, then one per <see cref="SpamRefill"/> (the count keeps
/// growing meanwhile, so the next update carries it). <see cref="RunAsync"/> sends what is queued
/// in batches and retries failures with back-off; past <see cref="MaxPending"/> Events the oldest
/// are dropped, as events are best-effort.
/// </summary>
internal sealed partial class PodEventRecorder(TimeProvider time, ILogger log) : IPodEvents
{
    private const int MaxMessage = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodEventReport> _recent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Tokens, DateTime At)> _spam = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodEventReport> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly BatchFlusher<PodEventReport> _flusher = new(time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    public static readonly TimeSpan CorrelationWindow = TimeSpan.FromMinutes(10);

    public const int SpamBurst = 25;

    public static readonly TimeSpan SpamRefill = TimeSpan.FromMinutes(5);

    public TimeSpan FlushDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public int MaxBatch { get; init; } = 200;

    public int MaxPending { get; init; } = 2000;

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public void Record(V1Pod pod, string type, string reason, string message, string? fieldPath = null)
    {
        var meta = pod.Metadata;
        if (message.Length > MaxMessage)
        {
            message = message[..MaxMessage];
        }

        var now = time.GetUtcNow();
        var stamp = Seconds(now.UtcDateTime);
        var key = string.Join('\0', meta.Uid, fieldPath, type, reason, message);
        lock (_lock)
        {
            PodEventReport report;
            if (_recent.TryGetValue(key, out var previous) && now.UtcDateTime - previous.LastTimestamp < CorrelationWindow)
            {
                report = previous with { Count = previous.Count + 1, LastTimestamp = stamp };
            }
            else
            {
                report = new PodEventReport(meta.NamespaceProperty ?? "default", meta.Name, meta.Uid, EventNames.For(meta.Name, now),
                    type, reason, message, fieldPath, 1, stamp, stamp);
                if (_recent.Count >= 4096)
                {
                    Prune(now.UtcDateTime);
                }
            }

            _recent[key] = report;
            if (!TakeToken(key, now.UtcDateTime))
            {
                return;
            }

            if (!_pending.ContainsKey(report.Name))
            {
                _order.Enqueue(report.Name);
            }

            _pending[report.Name] = report;
            while (_pending.Count > MaxPending && _order.TryDequeue(out var oldest))
            {
                _pending.Remove(oldest);
            }
        }

        _flusher.Wake();
    }

    /// <summary>Sends batches until <paramref name="ct"/> is cancelled (the agent stops).</summary>
    public Task RunAsync(IPodEventClient client, CancellationToken ct) => _flusher.RunAsync(FlushDelay, () =>
    {
        lock (_lock)
        {
            return [.. _order.Where(_pending.ContainsKey).Distinct(StringComparer.Ordinal).Take(MaxBatch).Select(n => _pending[n])];
        }
    }, batch => SendAsync(client, batch, ct), ct);

    private async Task<bool> SendAsync(IPodEventClient client, List<PodEventReport> batch, CancellationToken ct)
    {
        try
        {
            await client.ReportEventsAsync(batch, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogSendFailed(batch.Count, e.Message);
            return false;
        }

        lock (_lock)
        {
            foreach (var sent in batch)
            {
                // A newer state of the same Event (a repeat meanwhile) stays pending.
                if (_pending.TryGetValue(sent.Name, out var current) && ReferenceEquals(current, sent))
                {
                    _pending.Remove(sent.Name);
                }
            }

            while (_order.TryPeek(out var head) && !_pending.ContainsKey(head))
            {
                _order.Dequeue();
            }
        }

        return true;
    }

    private bool TakeToken(string key, DateTime now)
    {
        var (tokens, at) = _spam.TryGetValue(key, out var bucket) ? bucket : (SpamBurst, now);
        tokens = Math.Min(SpamBurst, tokens + ((now - at) / SpamRefill));
        if (tokens < 1)
        {
            _spam[key] = (tokens, now);
            return false;
        }

        _spam[key] = (tokens - 1, now);
        return true;
    }

    private void Prune(DateTime now)
    {
        foreach (var (k, v) in _recent.ToList())
        {
            if (now - v.LastTimestamp >= CorrelationWindow)
            {
                _recent.Remove(k);
            }
        }

        if (_recent.Count >= 4096)
        {
            _recent.Clear();
        }

        foreach (var (k, v) in _spam.ToList())
        {
            if (!_recent.ContainsKey(k) || now - v.At >= SpamRefill * SpamBurst)
            {
                _spam.Remove(k);
            }
        }
    }

    /// <summary>Event times have second precision on the wire.</summary>
    private static DateTime Seconds(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    [LoggerMessage(LogLevel.Debug, "Sending {Count} pod events failed: {Reason}; retrying")]
    private partial void LogSendFailed(int count, string reason);
}
