using System.Collections.Concurrent;
using k8s.Models;
using KubeWeb.Controllers.Scheduling;
using KubeWeb.Controllers.Scheduling.Binding;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Controllers.Tests.Scheduling;

/// <summary>Records binds; optionally plays the informer by reporting the pod bound; can be told to fail.</summary>
internal sealed class FakeBinder : IBinder
{
    public ConcurrentQueue<(string Pod, string Node)> Binds { get; } = new();

    public Func<V1Pod, string, Exception?>? Fail { get; set; }

    public Action<V1Pod, string>? OnBound { get; set; }

    public Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        if (Fail?.Invoke(pod, nodeName) is { } error)
        {
            return Task.FromException(error);
        }

        Binds.Enqueue((ObjectKeys.Of(pod), nodeName));
        OnBound?.Invoke(pod, nodeName);
        return Task.CompletedTask;
    }
}

/// <summary>Records preemptions; optionally plays the API by deleting the victims at once.</summary>
internal sealed class FakePreemptor : IPreemptor
{
    public ConcurrentQueue<(string Preemptor, string Node, string[] Victims)> Preemptions { get; } = new();

    public Action<V1Pod>? OnVictim { get; set; }

    public Task PreemptAsync(V1Pod preemptor, string nodeName, IReadOnlyList<V1Pod> victims, CancellationToken ct)
    {
        Preemptions.Enqueue((ObjectKeys.Of(preemptor), nodeName, [.. victims.Select(ObjectKeys.Of).Order(StringComparer.Ordinal)]));
        foreach (var victim in victims)
        {
            OnVictim?.Invoke(victim);
        }

        return Task.CompletedTask;
    }
}

internal sealed class FakeReporter : ISchedulingReporter
{
    public ConcurrentQueue<(string Pod, string Type, string Reason, string Message)> Events { get; } = new();

    public ConcurrentDictionary<string, string> Unschedulable { get; } = new();

    public void Scheduled(V1Pod pod, string nodeName) =>
        Events.Enqueue((ObjectKeys.Of(pod), "Normal", "Scheduled", $"Successfully assigned {ObjectKeys.Of(pod)} to {nodeName}"));

    public Task UnschedulableAsync(V1Pod pod, string message, CancellationToken ct)
    {
        Unschedulable[ObjectKeys.Of(pod)] = message;
        Events.Enqueue((ObjectKeys.Of(pod), "Warning", "FailedScheduling", message));
        return Task.CompletedTask;
    }

    public void Failed(V1Pod pod, string message) => Events.Enqueue((ObjectKeys.Of(pod), "Warning", "FailedScheduling", message));
}

/// <summary>A scheduler over in-memory pods and nodes: tests call the informer handlers and drain the queue.</summary>
internal sealed class SchedulerHarness
{
    private readonly ConcurrentDictionary<string, V1Pod> _pods = new();

    public SchedulerHarness(SchedulerOptions? options = null, bool confirmBinds = false)
    {
        Scheduler = new Scheduler(key => _pods.GetValueOrDefault(key), Binder, Reporter, options ?? new SchedulerOptions(), Time, new Random(42),
            NullLogger.Instance, preemptor: Preemptor, budgets: () => Budgets);
        if (confirmBinds)
        {
            Binder.OnBound = (pod, node) =>
            {
                var bound = Copy(pod);
                bound.Spec.NodeName = node;
                _pods[ObjectKeys.Of(pod)] = bound;
                Scheduler.OnPodUpdated(pod, bound);
            };
        }
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public FakeBinder Binder { get; } = new();

    public FakePreemptor Preemptor { get; } = new();

    public List<V1PodDisruptionBudget> Budgets { get; } = [];

    public FakeReporter Reporter { get; } = new();

    public Scheduler Scheduler { get; }

    public Dictionary<string, string> Placements => Binder.Binds.GroupBy(b => b.Pod).ToDictionary(g => g.Key, g => g.Last().Node);

    public void AddNode(V1Node node) => Scheduler.OnNodeAdded(node);

    public void AddPod(V1Pod pod)
    {
        _pods[ObjectKeys.Of(pod)] = pod;
        Scheduler.OnPodAdded(pod);
    }

    public void UpdatePod(V1Pod pod)
    {
        var old = _pods[ObjectKeys.Of(pod)];
        _pods[ObjectKeys.Of(pod)] = pod;
        Scheduler.OnPodUpdated(old, pod);
    }

    public void DeletePod(string key)
    {
        if (_pods.TryRemove(key, out var pod))
        {
            Scheduler.OnPodDeleted(pod);
        }
    }

    /// <summary>Schedules every pod in the active queue, then waits for the binds.</summary>
    public async Task DrainAsync()
    {
        while (Scheduler.Queue.ActiveCount > 0)
        {
            await Scheduler.ScheduleOneAsync(CancellationToken.None);
        }

        await Scheduler.WaitForBindsAsync();
    }

    public static V1Pod Copy(V1Pod pod) =>
        System.Text.Json.JsonSerializer.Deserialize<V1Pod>(System.Text.Json.JsonSerializer.Serialize(pod, Core.Serialization.KubeJson.Options), Core.Serialization.KubeJson.Options)!;
}
