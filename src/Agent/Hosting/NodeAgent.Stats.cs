using KubeWeb.Agent.Stats;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.SignalR.Client;

namespace KubeWeb.Agent.Hosting;

public sealed partial class NodeAgent : IStatsClient
{
    /// <summary>Reports usage every <see cref="Node.NodeConfig.StatsInterval"/> when the runtime can measure it.</summary>
    private async Task StatsLoopAsync(CancellationToken ct)
    {
        if (Runtime is not IStatsSource source)
        {
            return;
        }

        try
        {
            await _registered.Task.WaitAsync(ct);
            var reporter = new StatsReporter(source, this, _time, _log) { Interval = _config.StatsInterval };
            await reporter.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    async Task<bool> IStatsClient.ReportStatsAsync(NodeStatsReport report, CancellationToken ct)
    {
        if (!IsRegistered)
        {
            return false;
        }

        if (_staticPods is { } statics)
        {
            // Static pods run under their own uid; the API knows them by their mirror's.
            report = report with { Pods = [.. report.Pods.Select(p => statics.MirrorUidFor(p.Uid) is { } mirror ? p with { Uid = mirror } : p)] };
        }

        await _connection.InvokeAsync(AgentHubProtocol.ReportStats, report, ct);
        return true;
    }
}
