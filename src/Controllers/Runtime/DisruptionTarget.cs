using k8s;
using k8s.Models;

namespace KubeWeb.Controllers.Runtime;

/// <summary>
/// Upstream's DisruptionTarget pod condition: a controller says why it is about to delete a pod
/// (the taint manager, the pod GC, the scheduler's preemption) before it does.
/// </summary>
internal static class DisruptionTarget
{
    public const string Type = "DisruptionTarget";

    /// <summary>
    /// Patches the pod's status: the condition (when <paramref name="reason"/> is given) and, with
    /// <paramref name="fail"/>, phase Failed. The uid in the patch makes it miss a newer pod of the same name.
    /// </summary>
    public static Task MarkAsync(IKubernetes client, V1Pod pod, string? reason, string? message, bool fail, DateTime now, CancellationToken ct)
    {
        var status = new Dictionary<string, object>();
        if (fail)
        {
            status["phase"] = "Failed";
        }

        if (reason is not null)
        {
            status["conditions"] = new[] { new V1PodCondition { Type = Type, Status = "True", Reason = reason, Message = message, LastTransitionTime = now } };
        }

        var patch = new V1Patch(new { metadata = new { uid = pod.Metadata.Uid }, status }, V1Patch.PatchType.StrategicMergePatch);
        return client.CoreV1.PatchNamespacedPodStatusAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    /// <summary>True when the pod already carries the condition with this reason.</summary>
    public static bool Has(V1Pod pod, string reason) =>
        pod.Status?.Conditions?.Any(c => c.Type == Type && c.Status == "True" && c.Reason == reason) == true;
}
