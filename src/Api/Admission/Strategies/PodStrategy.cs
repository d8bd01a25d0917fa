using k8s.Models;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>
/// Pods: core/v1 defaults plus what the Priority admission plugin fills in, Pending status on
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

        // Without a priority class the Priority admission plugin assigns the global default.
        if (string.IsNullOrEmpty(obj.Spec.PriorityClassName))
        {
            obj.Spec.Priority ??= 0;
            obj.Spec.PreemptionPolicy ??= "PreemptLowerPriority";
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

    /// <summary>The QoS class the kubelet will see: Guaranteed, Burstable or BestEffort.</summary>
    public static string QosClass(V1PodSpec? spec)
    {
        var containers = (spec?.InitContainers ?? []).Concat(spec?.Containers ?? []).ToList();
        string[] tracked = ["cpu", "memory"];
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var requests = c.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
            var limits = c.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
            foreach (var r in tracked)
            {
                var hasRequest = requests.TryGetValue(r, out var request) && request.ToDecimal() != 0;
                var hasLimit = limits.TryGetValue(r, out var limit) && limit.ToDecimal() != 0;
                any |= hasRequest || hasLimit;
                if (!hasLimit || (hasRequest && request!.ToDecimal() != limit!.ToDecimal()))
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
