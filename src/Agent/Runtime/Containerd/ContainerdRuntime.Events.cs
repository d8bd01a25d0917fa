using System.Globalization;
using k8s.Models;

namespace KubeWeb.Agent.Runtime.Containerd;

public sealed partial class ContainerdRuntime
{
    /// <summary>Records a kubelet event about one of the pod's containers, with the kubelet's field path.</summary>
    private void ContainerEvent(V1Pod pod, bool init, string container, string type, string reason, string message) =>
        Events.Record(pod, type, reason, message, FieldPath(init, container));

    internal static string FieldPath(bool init, string container) => (init ? "spec.initContainers{" : "spec.containers{") + container + "}";

    /// <summary><c>name_namespace(uid)</c>, as the kubelet's format.Pod.</summary>
    internal static string PodDescription(V1Pod pod) => $"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";

    /// <summary>A duration as Go's time.Duration prints it (<c>1.5s</c>, <c>250ms</c>), for the Pulled message.</summary>
    internal static string GoDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromMilliseconds(1))
        {
            return ((long)(d.TotalMicroseconds)).ToString(CultureInfo.InvariantCulture) + "µs";
        }

        if (d < TimeSpan.FromSeconds(1))
        {
            return Math.Round(d.TotalMilliseconds, 3).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var minutes = (long)d.TotalMinutes;
        var seconds = Math.Round(d.TotalSeconds - (minutes * 60), 3).ToString(CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? $"{minutes}m{seconds}" : seconds;
    }
}
