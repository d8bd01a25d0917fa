using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Storage;

/// <summary>
/// Deletes Events <see cref="StoreOptions.EventTtl"/> after they were last recorded, as
/// kube-apiserver's <c>--event-ttl</c> (one hour) does through etcd leases: without it every
/// kubelet, scheduler and controller event would stay forever. "Last recorded" is the newest of
/// lastTimestamp, eventTime, series.lastObservedTime, firstTimestamp and creationTimestamp, so a
/// repeating event (its count bumped) lives on. Deletes are conditional on the revision that was
/// read: an event recorded again meanwhile is kept.
/// </summary>
public sealed partial class EventTtlSweeper(ObjectStore store, StoreOptions options, TimeProvider time, ILogger<EventTtlSweeper> log)
    : BackgroundService
{
    public const string Resource = "events";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.EventSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepOnceAsync(stoppingToken);
                }
                catch (StoreException e)
                {
                    LogSweepFailed(e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass; returns how many events it deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.EventTtl;
        var (items, _) = store.List(Resource, null);
        var deleted = 0;
        foreach (var item in items)
        {
            if (item.Object is not Corev1Event e || LastRecorded(e) is not { } last || last >= cutoff)
            {
                continue;
            }

            try
            {
                await store.DeleteAsync(Resource, item.Namespace, item.Name, item.ResourceVersion, ct);
                deleted++;
            }
            catch (Exception ex) when (ex is StoreConflictException or StoreNotFoundException)
            {
                // Recorded again or deleted meanwhile: the next pass looks at it afresh.
            }
        }

        if (deleted > 0)
        {
            LogSwept(deleted, options.EventTtl);
        }

        return deleted;
    }

    /// <summary>When the event was last recorded (null when it carries no time at all).</summary>
    public static DateTimeOffset? LastRecorded(Corev1Event e)
    {
        DateTime?[] times = [e.LastTimestamp, e.EventTime, e.Series?.LastObservedTime, e.FirstTimestamp, e.Metadata?.CreationTimestamp];
        var newest = times.Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(DateTime.MinValue).Max();
        return newest == DateTime.MinValue ? null : new DateTimeOffset(DateTime.SpecifyKind(newest, DateTimeKind.Utc));
    }

    [LoggerMessage(LogLevel.Information, "Deleted {Count} events recorded more than {Ttl} ago")]
    private partial void LogSwept(int count, TimeSpan ttl);

    [LoggerMessage(LogLevel.Warning, "Deleting expired events failed (retried at the next pass): {Reason}")]
    private partial void LogSweepFailed(string reason);
}
