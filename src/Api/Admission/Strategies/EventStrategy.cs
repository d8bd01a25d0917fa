using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// core/v1 Events (events.k8s.io/v1 is served from the same storage). Legacy events (no
/// eventTime) must agree on namespace with their involved object; new-style events must also
/// name their reporter and action.
/// </summary>
public sealed class EventStrategy : KubeStrategy<Corev1Event>
{
    public EventStrategy()
        : base("events")
    {
    }

    protected override bool ResetStatusOnCreate => false;

    protected override IEnumerable<FieldError> ValidateCreate(Corev1Event obj)
    {
        if (obj.InvolvedObject is not { } involved)
        {
            yield return FieldError.Required("involvedObject");
            yield break;
        }

        var ns = obj.Metadata.NamespaceProperty ?? "";
        var involvedNs = involved.NamespaceProperty ?? "";
        if (obj.EventTime is null)
        {
            var agrees = involvedNs.Length == 0 ? ns is "" or "default" : ns == involvedNs;
            if (!agrees)
            {
                yield return FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace");
            }

            yield break;
        }

        if (involvedNs.Length == 0 && ns is not ("default" or "kube-system"))
        {
            yield return FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace");
        }

        if (string.IsNullOrEmpty(obj.ReportingComponent))
        {
            yield return FieldError.Required("reportingComponent");
        }

        if (string.IsNullOrEmpty(obj.ReportingInstance))
        {
            yield return FieldError.Required("reportingInstance");
        }
        else if (obj.ReportingInstance.Length > 128)
        {
            yield return FieldError.Invalid("reportingInstance", "", "can have at most 128 characters");
        }

        if (string.IsNullOrEmpty(obj.Action))
        {
            yield return FieldError.Required("action");
        }

        if (obj.Type is not ("Normal" or "Warning"))
        {
            yield return FieldError.Invalid("type", obj.Type ?? "", "has invalid value: " + obj.Type);
        }

        if (obj.Message?.Length > 1024)
        {
            yield return FieldError.Invalid("message", "", "can have at most 1024 characters");
        }
    }

    protected override string? GetField(Corev1Event obj, string field) => field switch
    {
        "involvedObject.kind" => obj.InvolvedObject?.Kind ?? "",
        "involvedObject.namespace" => obj.InvolvedObject?.NamespaceProperty ?? "",
        "involvedObject.name" => obj.InvolvedObject?.Name ?? "",
        "involvedObject.uid" => obj.InvolvedObject?.Uid ?? "",
        "involvedObject.apiVersion" => obj.InvolvedObject?.ApiVersion ?? "",
        "involvedObject.resourceVersion" => obj.InvolvedObject?.ResourceVersion ?? "",
        "involvedObject.fieldPath" => obj.InvolvedObject?.FieldPath ?? "",
        "reason" => obj.Reason ?? "",
        "reportingComponent" => obj.ReportingComponent ?? "",
        "source" => obj.Source?.Component ?? "",
        "type" => obj.Type ?? "",
        _ => null,
    };
}
