using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Agents;

/// <summary>
/// Writes an agent's kubelet events as core/v1 Events, as the kubelet's recorder would through the
/// API: source <c>kubelet</c> on the node, <c>reportingComponent</c> kubelet, the involved object
/// taken from the stored pod (the agent cannot name an object it does not run). The agent did the
/// correlation (see <see cref="PodEventReport"/>): a report naming an existing Event updates its
/// count, lastTimestamp and message, never lowering the count.
/// </summary>
internal sealed partial class PodEventWriter(ResourceHandler handler, ObjectStore store, ResourceRegistry registry, ILogger<PodEventWriter> log)
{
    private const string Component = "kubelet";

    private readonly ResourceType _events = registry.Find("", "v1", "events")!;

    /// <summary>True when the event was written (or already current); false when its pod is not the node's or the write failed.</summary>
    public async Task<bool> ApplyAsync(string nodeName, PodEventReport report, CancellationToken ct)
    {
        if (store.Get("pods", report.Namespace, report.PodName)?.Object is not V1Pod pod
            || pod.Metadata.Uid != report.PodUid
            || pod.Spec?.NodeName != nodeName)
        {
            return false;
        }

        try
        {
            if (store.Get("events", report.Namespace, report.Name) is not null)
            {
                var info = new RequestInfo("", "v1", report.Namespace, "events", report.Name, null);
                await handler.UpdateObjectAsync(_events, info, current =>
                {
                    var e = (Corev1Event)store.Codec.Copy(current);
                    e.Metadata.ResourceVersion = null;
                    if ((e.Count ?? 1) <= report.Count)
                    {
                        e.Count = report.Count;
                        e.LastTimestamp = report.LastTimestamp;
                        e.Message = report.Message;
                    }

                    return e;
                }, null, WriteOptions.Internal(Component), preconditioned: false, ct);
                return true;
            }

            await handler.CreateObjectAsync(_events, report.Namespace, Build(nodeName, pod, report), WriteOptions.Internal(Component), ct);
            return true;
        }
        catch (ApiError e) when (e.Code == 409)
        {
            // Created meanwhile by a retry of the same report: it holds what this one says.
            return true;
        }
        catch (Exception e) when (e is ApiError or StoreUnavailableException)
        {
            LogEventFailed(report.Reason, report.Namespace, report.PodName, e.Message);
            return false;
        }
    }

    private static Corev1Event Build(string nodeName, V1Pod pod, PodEventReport report) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { Name = report.Name, NamespaceProperty = report.Namespace },
        InvolvedObject = new V1ObjectReference
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Name = pod.Metadata.Name,
            NamespaceProperty = pod.Metadata.NamespaceProperty,
            Uid = pod.Metadata.Uid,
            ResourceVersion = pod.Metadata.ResourceVersion,
            FieldPath = report.FieldPath,
        },
        Type = report.Type,
        Reason = report.Reason,
        Message = report.Message,
        Count = report.Count,
        FirstTimestamp = report.FirstTimestamp,
        LastTimestamp = report.LastTimestamp,
        Source = new V1EventSource { Component = Component, Host = nodeName },
        ReportingComponent = Component,
        ReportingInstance = nodeName,
    };

    [LoggerMessage(LogLevel.Debug, "Could not write kubelet event {Reason} for pod {Namespace}/{Pod}: {Error}")]
    private partial void LogEventFailed(string reason, string @namespace, string pod, string error);
}
