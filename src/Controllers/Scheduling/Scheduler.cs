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

    public Scheduler(Func<string, V1Pod?> getPod, IBinder binder, ISchedulingReporter reporter, SchedulerOptions options,
        TimeProvider time, Random random, ILogger log, SchedulerProfile? profile = null)
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
        Algorithm = new SchedulingAlgorithm(profile ?? SchedulerProfile.Default(), options, random);
    }

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
        try
        {
            info = PodInfo.Create(pod);
            result = Algorithm.Schedule(info, Cache.Snapshot());
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
            var message = result.Error!.Message;
            LogUnschedulable(key, message);
            Queue.AddUnschedulable(key, cycle);
            await StartAsync(() => _reporter.UnschedulableAsync(pod, message, CancellationToken.None), ct);
            return true;
        }

        Cache.Assume(info, node);
        Queue.Done(key);
        await StartAsync(() => BindAsync(pod, info, node), ct);
        return true;
    }

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

    [LoggerMessage(LogLevel.Debug, "Unable to schedule {Key}: {Message}")]
    private partial void LogUnschedulable(string key, string message);

    [LoggerMessage(LogLevel.Warning, "Scheduling {Key} failed; retrying after back-off")]
    private partial void LogScheduleFailed(Exception e, string key);

    [LoggerMessage(LogLevel.Debug, "Bind of {Key} to {Node} refused: {Reason}")]
    private partial void LogBindRefused(string key, string node, string reason);

    [LoggerMessage(LogLevel.Warning, "Bind of {Key} to {Node} failed; retrying after back-off")]
    private partial void LogBindFailed(Exception e, string key, string node);
}
