using KubeWeb.Core.Agents;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Stats;

/// <summary>Where reports go: the node agent's hub connection.</summary>
public interface IStatsClient
{
    /// <summary>False when the report could not be sent now (not registered); the next round sends a fresh one.</summary>
    Task<bool> ReportStatsAsync(NodeStatsReport report, CancellationToken ct);
}

/// <summary>
/// Samples the runtime every <see cref="Interval"/> and sends the node's and pods' usage. A report
/// that cannot be sent is dropped, not queued: usage is only worth its latest value. Sampling
/// failures (containerd restarting) are logged once per streak and retried next round.
/// </summary>
public sealed partial class StatsReporter(IStatsSource source, IStatsClient client, TimeProvider time, ILogger log)
{
    private UsageCalculator? _calculator;
    private bool _failing;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await RoundAsync(ct);
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>One round: sample, compute, send. Public for tests that drive rounds themselves.</summary>
    public async Task<NodeStatsReport?> RoundAsync(CancellationToken ct)
    {
        try
        {
            _calculator ??= new UsageCalculator(Interval);
            var report = _calculator.Next(await source.SampleAsync(ct));
            if (report is not null)
            {
                await client.ReportStatsAsync(report, ct);
            }

            _failing = false;
            return report;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            if (!_failing)
            {
                LogFailed(log, e.Message);
                _failing = true;
            }

            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Resource usage could not be sampled or sent: {Reason}")]
    private static partial void LogFailed(ILogger log, string reason);
}
