using System.Diagnostics;
using k8s.Models;
using KubeWeb.Controllers.Scheduling;
using KubeWeb.Controllers.Scheduling.Binding;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.Bench.Cluster;

/// <summary>
/// The scheduler without the API (bench/SchedulerBench's workload): in-memory nodes, every pod
/// through the full cycle (queue, snapshot, filters, scores, assume) and a binder that does nothing.
/// </summary>
internal static class InMemoryScheduler
{
    /// <summary>Pods bound per second; the first call is a warm-up the caller should discard.</summary>
    public static double Run(int nodeCount, int podCount)
    {
        var podsByKey = new Dictionary<string, V1Pod>(podCount);
        var binder = new NoOpBinder();
        var scheduler = new Scheduler(key => podsByKey.GetValueOrDefault(key), binder, new NoOpReporter(), new SchedulerOptions(),
            TimeProvider.System, new Random(1), NullLogger.Instance);
        for (var i = 0; i < nodeCount; i++)
        {
            scheduler.OnNodeAdded(Node(i));
        }

        var all = Enumerable.Range(0, podCount).Select(i => Pod(i, antiAffinity: false)).ToList();
        foreach (var pod in all)
        {
            podsByKey[pod.Metadata.NamespaceProperty + "/" + pod.Metadata.Name] = pod;
        }

        var clock = Stopwatch.StartNew();
        foreach (var pod in all)
        {
            scheduler.OnPodAdded(pod);
        }

        while (scheduler.Queue.ActiveCount > 0)
        {
            scheduler.ScheduleOneAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        scheduler.WaitForBindsAsync().GetAwaiter().GetResult();
        return binder.Count / clock.Elapsed.TotalSeconds;
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
