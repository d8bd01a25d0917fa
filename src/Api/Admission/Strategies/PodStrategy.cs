using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// Pods: core/v1 defaults (priority comes from the Priority admission plugin), Pending status on
/// create, a spec that is frozen after create except for the few fields upstream allows.
/// </summary>
public sealed class PodStrategy : KubeStrategy<V1Pod>
{
    public PodStrategy()
        : base("pods")
    {
    }

    protected override void Default(V1Pod obj)
    {
        obj.Spec ??= new V1PodSpec();
        PodSpecDefaults.Apply(obj.Spec);

        // Requests default to limits for pods (not templates), as SetDefaults_Pod does.
        foreach (var c in (obj.Spec.InitContainers ?? []).Concat(obj.Spec.Containers ?? []))
        {
            if (c.Resources?.Limits is { Count: > 0 } limits)
            {
                c.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
                foreach (var (name, limit) in limits)
                {
                    c.Resources.Requests.TryAdd(name, limit);
                }
            }
        }

    }

    protected override void PrepareForCreate(V1Pod obj)
    {
        obj.Status = new V1PodStatus { Phase = "Pending", QosClass = QosClass(obj.Spec) };
    }

    protected override IEnumerable<FieldError> ValidateCreate(V1Pod obj) => PodSpecValidator.Validate(obj.Spec, "spec");

    protected override IEnumerable<FieldError> ValidateUpdate(V1Pod obj, V1Pod old)
    {
        var errors = PodSpecValidator.Validate(obj.Spec, "spec").ToList();
        if (obj.Spec is not null && old.Spec is not null)
        {
            errors.AddRange(PodUpdateRules.Validate(obj.Spec, old.Spec));
        }

        return errors;
    }

    protected override IEnumerable<FieldError> ValidateStatusUpdate(V1Pod obj, V1Pod old)
    {
        if (obj.Status?.Phase is { Length: > 0 } phase && phase is not ("Pending" or "Running" or "Succeeded" or "Failed" or "Unknown"))
        {
            yield return FieldError.NotSupported("status.phase", phase, ["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
        }

        if (old.Status?.Phase is "Succeeded" or "Failed" && obj.Status?.Phase != old.Status.Phase)
        {
            yield return FieldError.Forbidden("status.phase", $"cannot transition from terminal phase {old.Status.Phase} to {obj.Status?.Phase}");
        }
    }

    protected override string? GetField(V1Pod obj, string field) => field switch
    {
        "spec.nodeName" => obj.Spec?.NodeName ?? "",
        "spec.restartPolicy" => obj.Spec?.RestartPolicy ?? "",
        "spec.schedulerName" => obj.Spec?.SchedulerName ?? "",
        "spec.serviceAccountName" => obj.Spec?.ServiceAccountName ?? "",
        "spec.hostNetwork" => obj.Spec?.HostNetwork == true ? "true" : "false",
        "status.phase" => obj.Status?.Phase ?? "",
        "status.podIP" => obj.Status?.PodIPs?.FirstOrDefault()?.Ip ?? obj.Status?.PodIP ?? "",
        "status.nominatedNodeName" => obj.Status?.NominatedNodeName ?? "",
        _ => null,
    };

    /// <summary>
    /// The QoS class (GetPodQOS upstream), over init and app containers: BestEffort without any
    /// positive cpu or memory request or limit; Guaranteed when every container limits both cpu and
    /// memory and, per resource, the summed requests equal the summed limits; Burstable otherwise.
    /// </summary>
    public static string QosClass(V1PodSpec? spec)
    {
        string[] tracked = ["cpu", "memory"];
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var c in (spec?.InitContainers ?? []).Concat(spec?.Containers ?? []))
        {
            foreach (var (name, q) in c.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>())
            {
                if (tracked.Contains(name) && q.ToDecimal() > 0)
                {
                    requests[name] = requests.GetValueOrDefault(name) + q.ToDecimal();
                }
            }

            var limited = 0;
            foreach (var (name, q) in c.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>())
            {
                if (tracked.Contains(name) && q.ToDecimal() > 0)
                {
                    limited++;
                    limits[name] = limits.GetValueOrDefault(name) + q.ToDecimal();
                }
            }

            guaranteed &= limited == tracked.Length;
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        guaranteed &= requests.Count == limits.Count && requests.All(r => limits.TryGetValue(r.Key, out var l) && l == r.Value);
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
