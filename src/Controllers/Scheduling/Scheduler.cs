using k8s.Models;
using KubeWeb.Controllers.Scheduling.Binding;
using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;
using KubeWeb.Controllers.Scheduling.Queue;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Scheduling;

/// <summary>
/// The scheduling loop (upstream's scheduleOne): pop a pod key, read the current pod, run the
/// algorithm on the cache's snapshot, assume the pod on the chosen node, and bind in the background
/// (at most <see cref="SchedulerOptions.MaxConcurrentBinds"/> at once) while the loop moves on. A pod
/// that fits nowhere is parked in the queue and reported (condition + event). Cluster changes reach
/// it through the <c>On*</c> handlers (see Scheduler.Events.cs). One loop per instance.
/// </summary>
internal sealed partial class Scheduler
{
    private readonly Func<string, V1Pod?> _getPod;
    private readonly IBinder _binder;
    private readonly ISchedulingReporter _reporter;
    private readonly SchedulerOptions _options;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _slots;

    private readonly IPreemptor? _preemptor;
    private readonly Preemption? _preemption;

    /// <summary>Pods that preempted others, by key: the node they wait for, and the pod (it holds its place there meanwhile).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Node, PodInfo Pod)> _nominated = new(StringComparer.Ordinal);

    /// <param name="preemptor">Carries out preemptions; null turns preemption off (tests of the plain cycle).</param>
    /// <param name="budgets">PodDisruptionBudgets preemption tries not to violate.</param>
    public Scheduler(Func<string, V1Pod?> getPod, IBinder binder, ISchedulingReporter reporter, SchedulerOptions options,
        TimeProvider time, Random random, ILogger log, SchedulerProfile? profile = null,
        IPreemptor? preemptor = null, Func<IReadOnlyList<V1PodDisruptionBudget>>? budgets = null)
    {
        _getPod = getPod;
        _binder = binder;
        _reporter = reporter;
        _options = options;
        _log = log;
        _slots = new SemaphoreSlim(options.MaxConcurrentBinds);
        Time = time;
        Cache = new SchedulerCache(time, options.AssumedPodTtl);
        Queue = new SchedulingQueue(options, time);
        profile ??= SchedulerProfile.Default();
        Algorithm = new SchedulingAlgorithm(profile, options, random);
        _preemptor = preemptor;
        _preemption = preemptor is null ? null : new Preemption(profile, budgets ?? (() => []));
    }

    /// <summary>The node a pod was nominated to by its preemption, if it waits for one.</summary>
    public string? NominatedNode(string key) => _nominated.TryGetValue(key, out var n) ? n.Node : null;

    public SchedulerCache Cache { get; }

    public SchedulingQueue Queue { get; }

    public SchedulingAlgorithm Algorithm { get; }

    public TimeProvider Time { get; }

    /// <summary>Schedules until cancelled; flushes the back-off queue and expired assumptions every second.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = Time.CreateTimer(_ =>
        {
            Queue.Flush();
            Cache.CleanupExpired();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            while (await ScheduleOneAsync(ct))
            {
            }
        }
        finally
        {
            await WaitForBindsAsync();
        }
    }

    /// <summary>One scheduling attempt; false once cancelled. The bind it starts may still be running on return.</summary>
    public async Task<bool> ScheduleOneAsync(CancellationToken ct)
    {
        var (ok, key, cycle) = await Queue.PopAsync(ct);
        if (!ok)
        {
            return false;
        }

        var pod = _getPod(key);
        if (pod is null || !NeedsScheduling(pod) || Cache.IsAssumed(key))
        {
            Queue.Done(key);
            return true;
        }

        PodInfo info;
        ScheduleResult result;
        ClusterSnapshot snapshot;
        try
        {
            info = PodInfo.Create(pod);
            snapshot = WithNominatedPods(Cache.Snapshot(), info);
            result = Algorithm.Schedule(info, snapshot);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            // A pod the algorithm cannot read (a malformed selector): retry later, do not stop the loop.
            LogScheduleFailed(e, key);
            Queue.AddBackoff(key, pod.Spec?.Priority ?? 0);
            _reporter.Failed(pod, e.Message);
            return true;
        }

        if (result.NodeName is not { } node)
        {
            var error = result.Error!;
            PreemptionCandidate? candidate = null;
            if (_preemption is not null && error.NodeCount > 0)
            {
                var outcome = _preemption.Evaluate(info, snapshot, error, NominatedNode(key));
                error.Preemption = outcome.Message;
                candidate = outcome.Candidate;
            }

            var message = error.Message;
            LogUnschedulable(key, message);
            Queue.AddUnschedulable(key, cycle);
            if (candidate is not null)
            {
                // The pod holds its place on the node while the victims go; their deletion brings it back.
                _nominated[key] = (candidate.Node, info);
                LogPreempting(key, candidate.Node, candidate.Victims.Count);
                var victims = candidate.Victims.Select(v => v.Pod).ToList();
                await StartAsync(() => _preemptor!.PreemptAsync(pod, candidate.Node, victims, CancellationToken.None), ct);
            }

            await StartAsync(() => _reporter.UnschedulableAsync(pod, message, CancellationToken.None), ct);
            return true;
        }

        _nominated.TryRemove(key, out _);
        Cache.Assume(info, node);
        Queue.Done(key);
        await StartAsync(() => BindAsync(pod, info, node), ct);
        return true;
    }

    /// <summary>
    /// The snapshot with the pods nominated by a preemption placed on their nodes when they matter
    /// more than (or as much as) <paramref name="pod"/>, so it cannot take the room freed for them.
    /// </summary>
    private ClusterSnapshot WithNominatedPods(ClusterSnapshot snapshot, PodInfo pod)
    {
        if (_nominated.IsEmpty)
        {
            return snapshot;
        }

        var nodes = snapshot.Nodes;
        var changed = false;
        foreach (var (key, (nodeName, nominated)) in _nominated)
        {
            if (key == pod.Key || nominated.Priority < pod.Priority || snapshot.Find(nodeName) is not { } node || node.HasPod(key))
            {
                continue;
            }

            nodes = nodes.SetItem(nodes.IndexOf(node), node.WithPod(nominated));
            changed = true;
        }

        return changed ? ClusterSnapshot.Of(nodes) : snapshot;
    }

    /// <summary>A pod bound, deleted or no longer pending waits for no node.</summary>
    private void ForgetNomination(string key) => _nominated.TryRemove(key, out _);

    /// <summary>Waits until every bind and report started so far has finished.</summary>
    public async Task WaitForBindsAsync()
    {
        for (var i = 0; i < _options.MaxConcurrentBinds; i++)
        {
            await _slots.WaitAsync();
        }

        _slots.Release(_options.MaxConcurrentBinds);
    }

    /// <summary>True for a pod this scheduler should place: unbound, not terminating, with our scheduler name.</summary>
    public bool NeedsScheduling(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName)
        && pod.Metadata.DeletionTimestamp is null
        && (pod.Spec?.SchedulerName ?? _options.SchedulerName) == _options.SchedulerName
        && pod.Status?.Phase is not ("Succeeded" or "Failed");

    private async Task StartAsync(Func<Task> work, CancellationToken ct)
    {
        try
        {
            await _slots.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                _slots.Release();
            }
        }, CancellationToken.None);
    }

    private async Task BindAsync(V1Pod pod, PodInfo info, string node)
    {
        try
        {
            await _binder.BindAsync(pod, node, CancellationToken.None);
            Cache.FinishBinding(info.Key);
            _reporter.Scheduled(pod, node);
        }
        catch (BindConflictException e)
        {
            // Already bound (the informer will say where) or deleted: nothing to retry.
            Cache.Forget(info.Key);
            LogBindRefused(info.Key, node, e.Message);
        }
        catch (Exception e)
        {
            Cache.Forget(info.Key);
            Queue.AddBackoff(info.Key, info.Priority);
            LogBindFailed(e, info.Key, node);
            _reporter.Failed(pod, $"Binding rejected: {e.Message}");
        }
    }

    [LoggerMessage(LogLevel.Information, "Preempting {Victims} pod(s) on {Node} for {Key}")]
    private partial void LogPreempting(string key, string node, int victims);

    [LoggerMessage(LogLevel.Debug, "Unable to schedule {Key}: {Message}")]
    private partial void LogUnschedulable(string key, string message);

    [LoggerMessage(LogLevel.Warning, "Scheduling {Key} failed; retrying after back-off")]
    private partial void LogScheduleFailed(Exception e, string key);

    [LoggerMessage(LogLevel.Debug, "Bind of {Key} to {Node} refused: {Reason}")]
    private partial void LogBindRefused(string key, string node, string reason);

    [LoggerMessage(LogLevel.Warning, "Bind of {Key} to {Node} failed; retrying after back-off")]
    private partial void LogBindFailed(Exception e, string key, string node);
}
