using KubeWeb.Agent.Node;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Hosting;

public sealed partial class NodeAgent
{
    /// <summary>
    /// Renews the Lease every renew interval (10 s) and sends the node status with it when it changed
    /// or the report interval passed (<see cref="NodeStatusReports"/>). A failed renewal is retried
    /// sooner, as the kubelet's lease controller does; a Node deleted under a live agent is registered again.
    /// </summary>
    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        try
        {
            await _registered.Task.WaitAsync(ct);
            // Spread the heartbeats of many nodes in one process over the interval.
            await DelayAsync(TimeSpan.FromMilliseconds(_random.Next(0, 1000)), ct);
            while (!ct.IsCancellationRequested)
            {
                var interval = TimeSpan.FromSeconds(_registration?.LeaseRenewIntervalSeconds ?? 10);
                var ok = await BeatAsync(ct);
                await DelayAsync(ok ? interval : TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds, 1000)), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> BeatAsync(CancellationToken ct)
    {
        if (!IsRegistered)
        {
            return false;
        }

        try
        {
            await _connection.InvokeAsync(AgentHubProtocol.RenewLease, ct);
            var status = NodeFactory.Status(_config, Runtime.Version, _time.GetUtcNow().UtcDateTime);
            var report = TimeSpan.FromSeconds(_registration?.NodeStatusReportIntervalSeconds ?? 60);
            if (_statusReports.Due(status, report) is not { } json)
            {
                return true;
            }

            if (!await _connection.InvokeAsync<bool>(AgentHubProtocol.UpdateNodeStatus, new NodeStatusUpdate(System.Text.Encoding.UTF8.GetString(json)), ct))
            {
                await RegisterAsync(ct);
                return true;
            }

            _statusReports.Sent(json);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The node may be marked NotReady meanwhile (its Lease lapsed): the next beat sends the status in full.
            _statusReports.Reset();
            LogHeartbeatFailed(_log, _config.NodeName, e.Message);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Node {Node}: heartbeat failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger log, string node, string reason);
}
