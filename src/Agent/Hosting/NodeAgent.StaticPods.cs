using KubeWeb.Agent.Pods;
using KubeWeb.Agent.StaticPods;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Hosting;

public sealed partial class NodeAgent : IMirrorPodClient
{
    private StaticPodManager? _staticPods;

    /// <summary>
    /// With a manifest folder: reads it before anything else (so the first pod snapshot does not take
    /// the static pods for orphans), then keeps it and the mirror pods in sync in the background.
    /// </summary>
    private void StartStaticPods(ILoggerFactory? loggers, CancellationToken ct)
    {
        if (_config.PodManifestPath is not { Length: > 0 } dir)
        {
            return;
        }

        Directory.CreateDirectory(dir);
        var log = loggers?.CreateLogger<StaticPodManager>() ?? (ILogger)_log;
        var context = new PodWorkerContext(Runtime, _statuses, _config.NodeIp, _time, _log);
        _staticPods = new StaticPodManager(dir, _config.NodeName, context, this, log);
        _workers.KeepRuntimePod = _staticPods.IsStatic;
        _workers.MirrorPodSeen = _staticPods.MirrorSeen;
        if (_streams is not null)
        {
            _streams.ResolveUid = _staticPods.StaticUidFor;
        }

        _staticPods.ScanAsync(ct).GetAwaiter().GetResult();
        _loops.Add(Task.Run(async () =>
        {
            try
            {
                await _registered.Task.WaitAsync(ct);
                await _staticPods.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }, CancellationToken.None));
    }

    async Task<MirrorPodResult?> IMirrorPodClient.SyncMirrorPodAsync(MirrorPodRequest request, CancellationToken ct) =>
        IsRegistered ? await _connection.InvokeAsync<MirrorPodResult>(AgentHubProtocol.SyncMirrorPod, request, ct) : null;

    async Task<bool> IMirrorPodClient.DeleteMirrorPodAsync(MirrorPodDelete request, CancellationToken ct)
    {
        if (!IsRegistered)
        {
            return false;
        }

        await _connection.InvokeAsync(AgentHubProtocol.DeleteMirrorPod, request, ct);
        return true;
    }
}
