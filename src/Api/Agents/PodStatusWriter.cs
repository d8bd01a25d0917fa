using System.Text.Json;
using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Agents;

/// <summary>
/// Applies an agent's pod status reports through the pods/status path, and finalizes deletions the
/// agent reports as terminated (the kubelet's final DELETE with gracePeriodSeconds=0 and a uid
/// precondition). The agent owns phase, its conditions, IPs, start time and container statuses;
/// everything else in the stored status (qosClass, nominatedNodeName, conditions the agent does
/// not report, such as PodScheduled or readiness gates) is kept.
/// </summary>
internal sealed class PodStatusWriter(ResourceHandler handler, ObjectStore store, ResourceRegistry registry)
{
    private readonly ResourceType _pods = registry.Find("", "v1", "pods")!;

    public async Task<PodStatusResult> ApplyAsync(string nodeName, PodStatusReport report, CancellationToken ct)
    {
        PodStatusResult Result(PodStatusOutcome outcome, string? message = null) =>
            new(report.Namespace, report.Name, report.Uid, outcome, message);

        var info = new RequestInfo("", "v1", report.Namespace, "pods", report.Name, null);
        if (store.Get("pods", report.Namespace, report.Name) is not { } stored || !Owned(stored, nodeName, report.Uid))
        {
            return Result(PodStatusOutcome.Gone);
        }

        V1PodStatus reported;
        try
        {
            reported = KubeJson.Deserialize<V1PodStatus>(System.Text.Encoding.UTF8.GetBytes(report.Status)) ?? new V1PodStatus();
        }
        catch (System.Text.Json.JsonException e)
        {
            return Result(PodStatusOutcome.Failed, $"invalid status: {e.Message}");
        }

        try
        {
            var written = await handler.UpdateObjectAsync(_pods, info, current =>
            {
                if (!Owned(current, nodeName, report.Uid))
                {
                    throw ApiError.NotFound(_pods, report.Name);
                }

                var pod = StatusCopy(current);
                pod.Metadata.ResourceVersion = null;
                pod.Status = Merge(pod.Status, reported);
                AgentStatusEchoes.Mark(pod, nodeName);
                return pod;
            }, "status", WriteOptions.Internal("kubelet"), preconditioned: false, ct);

            if (report.Terminated && written.Object.Metadata.DeletionTimestamp is not null)
            {
                await handler.DeleteObjectAsync(_pods, info, new V1DeleteOptions
                {
                    GracePeriodSeconds = 0,
                    Preconditions = new V1Preconditions { Uid = report.Uid },
                }, ct);
            }

            return Result(PodStatusOutcome.Applied);
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return Result(PodStatusOutcome.Gone);
        }
        catch (ApiError e) when (e.Code == 409 && !Exists(report))
        {
            // The uid precondition failed because the pod is already gone or replaced.
            return Result(PodStatusOutcome.Gone);
        }
        catch (ApiError e)
        {
            return Result(PodStatusOutcome.Failed, e.Message);
        }
        catch (StoreUnavailableException e)
        {
            return Result(PodStatusOutcome.Failed, e.Message);
        }
    }

    /// <summary>
    /// A private copy of the stored pod's metadata and status, decoded from its stored bytes. The spec
    /// is a placeholder: a status write keeps the stored pod's spec (PrepareForStatusUpdate puts it
    /// back before validation, ownership and encoding), so decoding it, quantities and all, is waste.
    /// </summary>
    private static V1Pod StatusCopy(StoredObject current)
    {
        V1ObjectMeta? metadata = null;
        V1PodStatus? status = null;
        var reader = new Utf8JsonReader(current.Json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                // Without managedFields: a status write reads the stored ones from the encoding
                // (ManagedFieldsTracker), and the status half it compares leaves them out anyway.
                metadata = JsonSerializer.Deserialize<V1ObjectMeta>(ref reader, KubeJson.WithoutManagedFields);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = JsonSerializer.Deserialize<V1PodStatus>(ref reader, KubeJson.WithoutManagedFields);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new V1Pod
        {
            ApiVersion = current.Object.ApiVersion,
            Kind = current.Object.Kind,
            Metadata = metadata ?? new V1ObjectMeta(),
            Spec = new V1PodSpec(),
            Status = status,
        };
    }

    private bool Exists(PodStatusReport report) =>
        store.Get("pods", report.Namespace, report.Name) is { } pod && pod.Object.Metadata.Uid == report.Uid;

    private static bool Owned(StoredObject stored, string nodeName, string uid) =>
        stored.Object.Metadata.Uid == uid && ((V1Pod)stored.Object).Spec?.NodeName == nodeName;

    private static V1PodStatus Merge(V1PodStatus? current, V1PodStatus reported)
    {
        var status = current ?? new V1PodStatus();
        if (status.Phase is not ("Succeeded" or "Failed"))
        {
            // A terminal phase is final (validation would refuse the change anyway).
            status.Phase = reported.Phase ?? status.Phase;
        }

        var conditions = new List<V1PodCondition>(status.Conditions ?? []);
        foreach (var c in reported.Conditions ?? [])
        {
            var i = conditions.FindIndex(x => x.Type == c.Type);
            if (i < 0)
            {
                conditions.Add(c);
                continue;
            }

            if (conditions[i].Status == c.Status && conditions[i].LastTransitionTime is not null)
            {
                // Same state: the stored transition time stays, so a resync never looks like a flap.
                c.LastTransitionTime = conditions[i].LastTransitionTime;
            }

            conditions[i] = c;
        }

        status.Conditions = conditions.Count > 0 ? conditions : null;
        status.HostIP = reported.HostIP;
        status.HostIPs = reported.HostIPs;
        status.PodIP = reported.PodIP;
        status.PodIPs = reported.PodIPs;
        status.StartTime = reported.StartTime ?? status.StartTime;
        status.InitContainerStatuses = reported.InitContainerStatuses;
        status.ContainerStatuses = reported.ContainerStatuses;
        status.EphemeralContainerStatuses = reported.EphemeralContainerStatuses;
        status.Message = reported.Message;
        status.Reason = reported.Reason;
        status.QosClass ??= reported.QosClass;
        return status;
    }
}
