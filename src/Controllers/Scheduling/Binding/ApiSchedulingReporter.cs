using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Core.Events;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Scheduling.Binding;

/// <summary>
/// Reports through the API: events through an <see cref="EventRecorder"/> whose source is
/// <c>default-scheduler</c>, the PodScheduled condition through a strategic merge patch of
/// pods/status (merged by condition type, so other conditions stay). The condition is written only
/// when it changes, so a pod retried with the same verdict costs one event update, not a status write.
/// </summary>
internal sealed partial class ApiSchedulingReporter(IKubernetes client, EventRecorder events, TimeProvider time, ILogger<ApiSchedulingReporter> log)
    : ISchedulingReporter
{
    public void Scheduled(V1Pod pod, string nodeName) =>
        events.Record(pod, EventRecorder.Normal, "Scheduled",
            $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {nodeName}");

    public void Failed(V1Pod pod, string message) => events.Record(pod, EventRecorder.Warning, "FailedScheduling", message);

    public async Task UnschedulableAsync(V1Pod pod, string message, CancellationToken ct)
    {
        var eventTask = events.RecordAsync(pod, EventRecorder.Warning, "FailedScheduling", message, ct);
        var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (current is { Status: "False", Reason: "Unschedulable" } && current.Message == message)
        {
            await eventTask;
            return;
        }

        var transition = current?.Status == "False" && current.LastTransitionTime is { } t ? t : time.GetUtcNow().UtcDateTime;
        var condition = new Dictionary<string, object?>
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["reason"] = "Unschedulable",
            ["message"] = message,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = transition.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        var body = JsonSerializer.Serialize(new { status = new { conditions = new[] { condition } } });
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(body, V1Patch.PatchType.StrategicMergePatch),
                pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            // The pod stays queued; the next failed attempt writes the condition again.
            LogConditionFailed(pod.Metadata.NamespaceProperty, pod.Metadata.Name, e.Message);
        }

        await eventTask;
    }

    [LoggerMessage(LogLevel.Debug, "Could not set PodScheduled=False on {Namespace}/{Name}: {Error}")]
    private partial void LogConditionFailed(string @namespace, string name, string error);
}
