using KubeWeb.Core.Agents;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Pods;

/// <summary>
/// Collects pod status reports and sends them in batches: one hub call for everything that changed
/// within <see cref="FlushDelay"/>, at most <see cref="MaxBatch"/> pods per call, only the latest
/// report of each pod. A report stays pending until the server applied it or said the pod is gone;
/// failures (connection down, conflicts) are retried with exponential back-off.
/// </summary>
internal sealed partial class PodStatusBatcher(TimeProvider time, ILogger log) : IPodStatusSink
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodStatusReport> _pending = new(StringComparer.Ordinal);
    private readonly BatchFlusher<PodStatusReport> _flusher = new(time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    public TimeSpan FlushDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public int MaxBatch { get; init; } = 250;

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

    public void Report(PodStatusReport report)
    {
        lock (_lock)
        {
            _pending[report.Uid] = report;
        }

        _flusher.Wake();
    }

    public void Forget(string podUid)
    {
        lock (_lock)
        {
            _pending.Remove(podUid);
        }
    }

    /// <summary>Sends batches until <paramref name="ct"/> is cancelled (the agent stops).</summary>
    public Task RunAsync(IPodStatusClient client, CancellationToken ct) => _flusher.RunAsync(FlushDelay, () =>
    {
        lock (_lock)
        {
            return [.. _pending.Values.Take(MaxBatch)];
        }
    }, batch => SendAsync(client, batch, ct), ct);

    /// <summary>True when every report was settled (applied or gone).</summary>
    private async Task<bool> SendAsync(IPodStatusClient client, List<PodStatusReport> batch, CancellationToken ct)
    {
        IReadOnlyList<PodStatusResult> results;
        try
        {
            results = await client.ReportPodStatusesAsync(batch, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogSendFailed(batch.Count, e.Message);
            return false;
        }

        var settled = true;
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var sent = batch[i];
                var result = i < results.Count ? results[i] : null;
                if (result is null || result.Outcome == PodStatusOutcome.Failed)
                {
                    settled = false;
                    LogReportFailed(sent.Namespace, sent.Name, result?.Message ?? "no result");
                    continue;
                }

                // A newer report for the same pod stays pending.
                if (_pending.TryGetValue(sent.Uid, out var current) && ReferenceEquals(current, sent))
                {
                    _pending.Remove(sent.Uid);
                }
            }
        }

        return settled;
    }

    [LoggerMessage(LogLevel.Debug, "Sending {Count} pod statuses failed: {Reason}; retrying")]
    private partial void LogSendFailed(int count, string reason);

    [LoggerMessage(LogLevel.Warning, "The status of pod {Namespace}/{Name} was not written: {Reason}; retrying")]
    private partial void LogReportFailed(string @namespace, string name, string reason);
}
