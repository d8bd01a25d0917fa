using k8s.Models;

namespace KubeWeb.Controllers.Scheduling.Binding;

/// <summary>Writes the scheduler's decision (POST pods/{name}/binding). Tests record calls instead.</summary>
internal interface IBinder
{
    /// <exception cref="BindConflictException">The pod is already bound, or gone.</exception>
    Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct);
}

/// <summary>The bind was refused for good: the pod is already bound (409) or no longer exists (404). Not retried.</summary>
internal sealed class BindConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What the scheduler tells users: events and the PodScheduled condition. Best effort; never throws.</summary>
internal interface ISchedulingReporter
{
    /// <summary>Normal <c>Scheduled</c> event: "Successfully assigned ns/pod to node".</summary>
    void Scheduled(V1Pod pod, string nodeName);

    /// <summary>PodScheduled=False/Unschedulable with <paramref name="message"/> (through pods/status) and a Warning <c>FailedScheduling</c> event.</summary>
    Task UnschedulableAsync(V1Pod pod, string message, CancellationToken ct);

    /// <summary>A Warning <c>FailedScheduling</c> event for a failure that is not about fit (a bind error).</summary>
    void Failed(V1Pod pod, string message);
}

/// <summary>Carries out a preemption: nominates the node for the preemptor and evicts the victims. Best effort; never throws.</summary>
internal interface IPreemptor
{
    Task PreemptAsync(V1Pod preemptor, string nodeName, IReadOnlyList<V1Pod> victims, CancellationToken ct);
}
