using k8s.Models;

namespace KubeWeb.Agent.Pods;

/// <summary>
/// Sidecar containers (KEP-753): init containers with <c>restartPolicy: Always</c>. They start in
/// init order, run alongside the app containers, restart whatever the pod's restartPolicy, are probed
/// like app containers, and stop after them in reverse order.
/// </summary>
internal static class Sidecars
{
    public static bool IsSidecar(this V1Container container) => container.RestartPolicy == "Always";

    /// <summary>The pod's sidecars, in init order.</summary>
    public static IEnumerable<V1Container> Of(V1PodSpec spec) => (spec.InitContainers ?? []).Where(IsSidecar);

    /// <summary>The containers that are probed and count for readiness: the sidecars, then the app containers.</summary>
    public static IEnumerable<V1Container> LongRunning(V1PodSpec spec) => Of(spec).Concat(spec.Containers ?? []);
}
