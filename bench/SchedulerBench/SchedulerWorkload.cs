using System.Diagnostics;
using k8s.Models;
using KubeWeb.Controllers.Scheduling;
using KubeWeb.Controllers.Scheduling.Binding;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.Bench.Scheduling;

/// <summary>The outcome of one in-memory scheduling run.</summary>
internal sealed record SchedulerRun(int Bound, TimeSpan Elapsed, TimeSpan Enqueued)
{
    public double PodsPerSecond => Bound / Elapsed.TotalSeconds;
}

/// <summary>
/// The scheduler without the API, shared by bench/SchedulerBench and bench/ClusterBench: in-memory
/// nodes, every pod through the full cycle (queue, snapshot, filters, scores, assume) and a binder
/// that does nothing. Pods come in owners of 100; every Nth pod may carry hostname anti-affinity.
/// </summary>
internal static class SchedulerWorkload
{
    /// <summary>The first call in a process is a warm-up the caller should discard.</summary>
    public static SchedulerRun Run(int nodeCount, int podCount, int antiAffinityEvery = 0)
    {
        var podsByKey = new Dictionary<string, V1Pod>(podCount);
        var binder = new NoOpBinder();
        var scheduler = new Scheduler(key => podsByKey.GetValueOrDefault(key), binder, new NoOpReporter(), new SchedulerOptions(),
            TimeProvider.System, new Random(1), NullLogger.Instance);
        for (var i = 0; i < nodeCount; i++)
        {
            scheduler.OnNodeAdded(Node(i));
        }

        var all = Enumerable.Range(0, podCount).Select(i => Pod(i, antiAffinityEvery > 0 && i % antiAffinityEvery == 0)).ToList();
        foreach (var pod in all)
        {
            podsByKey[pod.Metadata.NamespaceProperty + "/" + pod.Metadata.Name] = pod;
        }

        var clock = Stopwatch.StartNew();
        foreach (var pod in all)
        {
            scheduler.OnPodAdded(pod);
        }

        var enqueued = clock.Elapsed;
        while (scheduler.Queue.ActiveCount > 0)
        {
            scheduler.ScheduleOneAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        scheduler.WaitForBindsAsync().GetAwaiter().GetResult();
        clock.Stop();
        return new SchedulerRun(binder.Count, clock.Elapsed, enqueued);
    }

    private static V1Node Node(int i)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("32"),
            ["memory"] = new("128Gi"),
            ["pods"] = new("110"),
            ["ephemeral-storage"] = new("500Gi"),
        };
        return new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"node-{i:D4}",
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/hostname"] = $"node-{i:D4}",
                    ["topology.kubernetes.io/zone"] = $"zone-{i % 10}",
                    ["kubernetes.io/os"] = "linux",
                },
            },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus { Allocatable = allocatable, Capacity = allocatable },
        };
    }

    private static V1Pod Pod(int i, bool antiAffinity)
    {
        var owner = $"rs-{i / 100}";
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"pod-{i:D5}",
                NamespaceProperty = "bench",
                Uid = Guid.NewGuid().ToString(),
                Labels = new Dictionary<string, string> { ["app"] = owner },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = owner, Uid = owner, Controller = true }],
            },
            Spec = new V1PodSpec
            {
                SchedulerName = "default-scheduler",
                NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = "nginx",
                        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("256Mi") } },
                    },
                ],
            },
        };
        if (antiAffinity)
        {
            pod.Spec.Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = owner } } },
                    ],
                },
            };
        }

        return pod;
    }
}

internal sealed class NoOpBinder : IBinder
{
    private int _count;

    public int Count => _count;

    public Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }
}

internal sealed class NoOpReporter : ISchedulingReporter
{
    public void Scheduled(V1Pod pod, string nodeName)
    {
    }

    public Task UnschedulableAsync(V1Pod pod, string message, CancellationToken ct) => Task.CompletedTask;

    public void Failed(V1Pod pod, string message)
    {
    }
}
