using k8s.Models;

namespace KubeWeb.Web.Map;

/// <summary>How healthy an object looks on the map, from its status alone.</summary>
public static class MapHealthRules
{
    private static readonly HashSet<string> FailingReasons =
        ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError", "Error", "OOMKilled"];

    public static MapHealth Pod(V1Pod p)
    {
        if (p.Metadata.DeletionTimestamp is not null)
        {
            return MapHealth.Progressing;
        }

        if (p.Status?.ContainerStatuses?.Any(c => c.State?.Waiting?.Reason is { } r && FailingReasons.Contains(r)) == true)
        {
            return MapHealth.Failing;
        }

        return p.Status?.Phase switch
        {
            "Running" => p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? MapHealth.Healthy : MapHealth.Progressing,
            "Succeeded" => MapHealth.Idle,
            "Failed" => MapHealth.Failing,
            _ => MapHealth.Progressing,
        };
    }

    public static string PodStatus(V1Pod p) =>
        p.Metadata.DeletionTimestamp is not null ? "Terminating"
        : p.Status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Reason).FirstOrDefault(r => r is not null)
          ?? p.Status?.Phase ?? "Pending";

    public static MapHealth ReplicaSet(V1ReplicaSet rs)
    {
        var desired = rs.Spec?.Replicas ?? 0;
        var ready = rs.Status?.ReadyReplicas ?? 0;
        return desired == 0 ? MapHealth.Idle : ready >= desired ? MapHealth.Healthy : MapHealth.Progressing;
    }

    public static MapHealth Deployment(V1Deployment d)
    {
        var conditions = d.Status?.Conditions ?? [];
        if (conditions.Any(c => c.Type == "Progressing" && c.Reason == "ProgressDeadlineExceeded")
            || conditions.Any(c => c.Type == "ReplicaFailure" && c.Status == "True"))
        {
            return MapHealth.Failing;
        }

        var desired = d.Spec?.Replicas ?? 1;
        if (desired == 0)
        {
            return MapHealth.Idle;
        }

        var s = d.Status;
        return s is not null && s.UpdatedReplicas == desired && s.AvailableReplicas == desired && (s.Replicas ?? 0) == desired
            ? MapHealth.Healthy : MapHealth.Progressing;
    }
}
