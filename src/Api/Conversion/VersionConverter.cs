using k8s;
using k8s.Models;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Conversion;

/// <summary>
/// Converts between a served version and its storage version where they differ:
/// autoscaling/v1 HPA (stored as v2) and events.k8s.io/v1 Event (stored as core/v1 Event).
/// </summary>
public static class VersionConverter
{
    public static byte[] FromStorage(ResourceType served, StoredObject stored, ObjectCodec codec)
    {
        IKubernetesObject<V1ObjectMeta> result = (served.ClrType, codec.Copy(stored)) switch
        {
            (var t, V2HorizontalPodAutoscaler h) when t == typeof(V1HorizontalPodAutoscaler) => HpaToV1(h),
            (var t, Corev1Event e) when t == typeof(Eventsv1Event) => EventToEventsV1(e),
            (_, var same) => same,
        };
        result.ApiVersion = served.ApiVersion;
        result.Kind = served.Kind;
        return KubeJson.SerializeToUtf8(result, served.ClrType);
    }

    public static IKubernetesObject<V1ObjectMeta> ToStorage(ResourceType served, IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        V1HorizontalPodAutoscaler h => HpaToV2(h),
        Eventsv1Event e => EventToCore(e),
        _ => obj,
    };

    private static V1HorizontalPodAutoscaler HpaToV1(V2HorizontalPodAutoscaler h)
    {
        var cpuTarget = h.Spec?.Metrics?.FirstOrDefault(m => m.Type == "Resource" && m.Resource?.Name == "cpu" && m.Resource.Target?.Type == "Utilization");
        var cpuCurrent = h.Status?.CurrentMetrics?.FirstOrDefault(m => m.Type == "Resource" && m.Resource?.Name == "cpu");
        return new V1HorizontalPodAutoscaler
        {
            Metadata = h.Metadata,
            Spec = h.Spec is null ? null : new V1HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V1CrossVersionObjectReference
                {
                    ApiVersion = h.Spec.ScaleTargetRef?.ApiVersion,
                    Kind = h.Spec.ScaleTargetRef?.Kind,
                    Name = h.Spec.ScaleTargetRef?.Name,
                },
                MinReplicas = h.Spec.MinReplicas,
                MaxReplicas = h.Spec.MaxReplicas,
                TargetCPUUtilizationPercentage = cpuTarget?.Resource.Target.AverageUtilization,
            },
            Status = h.Status is null ? null : new V1HorizontalPodAutoscalerStatus
            {
                ObservedGeneration = h.Status.ObservedGeneration,
                LastScaleTime = h.Status.LastScaleTime,
                CurrentReplicas = h.Status.CurrentReplicas ?? 0,
                DesiredReplicas = h.Status.DesiredReplicas,
                CurrentCPUUtilizationPercentage = cpuCurrent?.Resource?.Current?.AverageUtilization,
            },
        };
    }

    private static V2HorizontalPodAutoscaler HpaToV2(V1HorizontalPodAutoscaler h) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = h.Metadata,
        Spec = h.Spec is null ? null : new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference
            {
                ApiVersion = h.Spec.ScaleTargetRef?.ApiVersion,
                Kind = h.Spec.ScaleTargetRef?.Kind,
                Name = h.Spec.ScaleTargetRef?.Name,
            },
            MinReplicas = h.Spec.MinReplicas,
            MaxReplicas = h.Spec.MaxReplicas,
            Metrics = h.Spec.TargetCPUUtilizationPercentage is { } cpu
                ? [new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = cpu } },
                }]
                : null,
        },
        Status = h.Status is null ? null : new V2HorizontalPodAutoscalerStatus
        {
            ObservedGeneration = h.Status.ObservedGeneration,
            LastScaleTime = h.Status.LastScaleTime,
            CurrentReplicas = h.Status.CurrentReplicas,
            DesiredReplicas = h.Status.DesiredReplicas,
            CurrentMetrics = h.Status.CurrentCPUUtilizationPercentage is { } current
                ? [new V2MetricStatus
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricStatus { Name = "cpu", Current = new V2MetricValueStatus { AverageUtilization = current } },
                }]
                : null,
        },
    };

    private static Eventsv1Event EventToEventsV1(Corev1Event e) => new()
    {
        Metadata = e.Metadata,
        Action = e.Action,
        DeprecatedCount = e.Count,
        DeprecatedFirstTimestamp = e.FirstTimestamp,
        DeprecatedLastTimestamp = e.LastTimestamp,
        DeprecatedSource = e.Source,
        EventTime = e.EventTime,
        Note = e.Message,
        Reason = e.Reason,
        Regarding = e.InvolvedObject,
        Related = e.Related,
        ReportingController = e.ReportingComponent,
        ReportingInstance = e.ReportingInstance,
        Series = e.Series is null ? null : new Eventsv1EventSeries { Count = e.Series.Count ?? 0, LastObservedTime = e.Series.LastObservedTime ?? default },
        Type = e.Type,
    };

    private static Corev1Event EventToCore(Eventsv1Event e) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = e.Metadata,
        Action = e.Action,
        Count = e.DeprecatedCount,
        FirstTimestamp = e.DeprecatedFirstTimestamp,
        LastTimestamp = e.DeprecatedLastTimestamp,
        Source = e.DeprecatedSource,
        EventTime = e.EventTime,
        Message = e.Note,
        Reason = e.Reason,
        InvolvedObject = e.Regarding ?? new V1ObjectReference(),
        Related = e.Related,
        ReportingComponent = e.ReportingController,
        ReportingInstance = e.ReportingInstance,
        Series = e.Series is null ? null : new Corev1EventSeries { Count = e.Series.Count, LastObservedTime = e.Series.LastObservedTime },
        Type = e.Type,
    };
}
