using k8s.Models;

namespace KubeWeb.Api.Admission.Plugins;

/// <summary>
/// The DefaultTolerationSeconds admission plugin: every new pod tolerates the not-ready and
/// unreachable NoExecute taints for a while (default 300 s), unless it says otherwise, so pods
/// survive short node hiccups and are evicted after longer ones.
/// </summary>
public static class DefaultTolerationSeconds
{
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unreachable = "node.kubernetes.io/unreachable";

    public static void Apply(V1Pod pod, long notReadySeconds, long unreachableSeconds)
    {
        pod.Spec ??= new V1PodSpec();
        var tolerations = pod.Spec.Tolerations ??= [];
        Add(tolerations, NotReady, notReadySeconds);
        Add(tolerations, Unreachable, unreachableSeconds);
    }

    private static void Add(IList<V1Toleration> tolerations, string key, long seconds)
    {
        var covered = tolerations.Any(t =>
            (t.Key == key || (string.IsNullOrEmpty(t.Key) && t.OperatorProperty == "Exists")) &&
            (string.IsNullOrEmpty(t.Effect) || t.Effect == "NoExecute"));
        if (!covered)
        {
            tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = seconds });
        }
    }
}
