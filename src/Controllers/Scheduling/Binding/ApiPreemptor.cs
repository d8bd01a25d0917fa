using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Scheduling.Binding;

/// <summary>
/// Preemption through the API, as upstream's prepareCandidate: each victim gets the
/// DisruptionTarget condition (PreemptionByScheduler), a <c>Preempted</c> event and a graceful
/// delete (uid precondition, so a new pod of the same name is never hit); the preemptor gets
/// <c>status.nominatedNodeName</c>.
/// </summary>
internal sealed partial class ApiPreemptor(IKubernetes client, EventRecorder events, TimeProvider time, ILogger<ApiPreemptor> log) : IPreemptor
{
    public async Task PreemptAsync(V1Pod preemptor, string nodeName, IReadOnlyList<V1Pod> victims, CancellationToken ct)
    {
        var scheduler = preemptor.Spec?.SchedulerName ?? "default-scheduler";
        await Task.WhenAll(victims.Select(async victim =>
        {
            var ns = victim.Metadata.NamespaceProperty;
            var name = victim.Metadata.Name;
            try
            {
                await DisruptionTarget.MarkAsync(client, victim, "PreemptionByScheduler", $"{scheduler}: preempting to accommodate a higher priority pod",
                    fail: false, time.GetUtcNow().UtcDateTime, ct);
                await client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = victim.Metadata.Uid } }, cancellationToken: ct);
                events.Record(victim, EventRecorder.Normal, "Preempted", $"Preempted by pod {preemptor.Metadata.Uid} on node {nodeName}");
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
            {
                // Gone already, or replaced by a new pod of that name.
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                LogVictimFailed(ns, name, e.Message);
            }
        }));

        try
        {
            var nominate = new { status = new { nominatedNodeName = nodeName } };
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(nominate, V1Patch.PatchType.MergePatch),
                preemptor.Metadata.Name, preemptor.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            LogNominateFailed(preemptor.Metadata.NamespaceProperty, preemptor.Metadata.Name, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Preemption could not evict {Namespace}/{Name}: {Error}")]
    private partial void LogVictimFailed(string @namespace, string name, string error);

    [LoggerMessage(LogLevel.Debug, "Could not set nominatedNodeName on {Namespace}/{Name}: {Error}")]
    private partial void LogNominateFailed(string @namespace, string name, string error);
}
