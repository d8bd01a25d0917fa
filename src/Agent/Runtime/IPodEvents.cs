using k8s.Models;

namespace KubeWeb.Agent.Runtime;

/// <summary>
/// Where a runtime reports what the kubelet reports as events about a pod (Pulled, Created,
/// Started, Killing, Unhealthy, BackOff, FailedMount ...). <paramref name="fieldPath"/> names the
/// container as the kubelet does (<c>spec.containers{app}</c>, <c>spec.initContainers{init}</c>);
/// null for the pod itself. Implementations must not block: they batch and send later.
/// </summary>
public interface IPodEvents
{
    void Record(V1Pod pod, string type, string reason, string message, string? fieldPath = null);
}

/// <summary>Drops events: for runtimes used without a server connection (tests, tools).</summary>
public sealed class NoPodEvents : IPodEvents
{
    public static readonly NoPodEvents Instance = new();

    public void Record(V1Pod pod, string type, string reason, string message, string? fieldPath = null)
    {
    }
}

/// <summary>A runtime that reports events: the node agent hands it its recorder.</summary>
public interface IPodEventProducer
{
    IPodEvents Events { get; set; }
}
