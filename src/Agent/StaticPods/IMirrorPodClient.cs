using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.StaticPods;

/// <summary>The server side of mirror pods (the node agent's hub connection).</summary>
public interface IMirrorPodClient
{
    /// <summary>Null when not connected now; the manager tries again next round.</summary>
    Task<MirrorPodResult?> SyncMirrorPodAsync(MirrorPodRequest request, CancellationToken ct);

    /// <summary>False when not connected now.</summary>
    Task<bool> DeleteMirrorPodAsync(MirrorPodDelete request, CancellationToken ct);
}
