using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Hosting;

public sealed partial class NodeAgent
{
    private static readonly TimeSpan StorageCleanupInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Removes the folders of this node's deleted local-path volumes, then tells the server, which
    /// lifts the volume's cleanup finalizer (k3s runs a helper pod for this; the agent does it
    /// itself). Only nodes with a real runtime run it: simulated nodes have no folders.
    /// </summary>
    private async Task StorageCleanupLoopAsync(CancellationToken ct)
    {
        try
        {
            await _registered.Task.WaitAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                await DelayAsync(StorageCleanupInterval, ct);
                if (!IsRegistered)
                {
                    continue;
                }

                try
                {
                    var volumes = await _connection.InvokeAsync<IReadOnlyList<LocalVolume>>(AgentHubProtocol.LocalVolumesToDelete, ct);
                    foreach (var volume in volumes)
                    {
                        // The folder is named after the volume: never remove anything else the server names.
                        if (volume.Path.Length > 1 && Path.GetFileName(volume.Path.TrimEnd('/')) == volume.Name && Directory.Exists(volume.Path))
                        {
                            Directory.Delete(volume.Path, recursive: true);
                        }

                        await _connection.InvokeAsync(AgentHubProtocol.LocalVolumeDeleted, volume.Name, ct);
                        LogVolumeRemoved(_log, volume.Name, volume.Path);
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    LogVolumeCleanupFailed(_log, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Removed local volume {Volume} ({Path})")]
    private static partial void LogVolumeRemoved(ILogger log, string volume, string path);

    [LoggerMessage(LogLevel.Warning, "Removing deleted local volumes failed: {Reason}")]
    private static partial void LogVolumeCleanupFailed(ILogger log, string reason);
}
