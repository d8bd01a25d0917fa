using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Pods;

/// <summary>Where pod workers put the statuses they want written; the latest report per pod wins.</summary>
internal interface IPodStatusSink
{
    void Report(PodStatusReport report);

    /// <summary>Drops anything pending for a pod that is gone.</summary>
    void Forget(string podUid);
}

/// <summary>The server side of status reports (the hub connection, or a fake in tests).</summary>
internal interface IPodStatusClient
{
    Task<IReadOnlyList<PodStatusResult>> ReportPodStatusesAsync(IReadOnlyList<PodStatusReport> reports, CancellationToken ct);
}
