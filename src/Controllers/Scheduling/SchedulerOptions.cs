namespace KubeWeb.Controllers.Scheduling;

/// <summary>Settings of the scheduler; defaults are upstream's.</summary>
public sealed record SchedulerOptions
{
    /// <summary>The spec.schedulerName this scheduler serves.</summary>
    public string SchedulerName { get; init; } = "default-scheduler";

    /// <summary>Percentage of nodes to find feasible before scoring; 0 = adaptive (50% − nodes/125, at least 5%, at least 100 nodes).</summary>
    public int PercentageOfNodesToScore { get; init; }

    /// <summary>Back-off of a pod that failed to schedule: initial, doubled per attempt up to the maximum.</summary>
    public TimeSpan PodInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PodMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An unschedulable pod is retried after this long even if nothing in the cluster changed.</summary>
    public TimeSpan MaxInUnschedulable { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Binds in flight at once; the scheduling loop waits when this many are outstanding. Well under
    /// the API's 200 mutating requests in flight, which the scheduler shares with every other client:
    /// at 256 the binds alone overran it and drew 429s. 64 binds of a few ms each still allow
    /// thousands of binds a second on loopback.
    /// </summary>
    public int MaxConcurrentBinds { get; init; } = 64;

    /// <summary>An assumed pod whose bind returned but which the informer never showed bound is dropped after this.</summary>
    public TimeSpan AssumedPodTtl { get; init; } = TimeSpan.FromSeconds(30);
}
