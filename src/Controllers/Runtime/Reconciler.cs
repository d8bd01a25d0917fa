using System.Net;
using k8s.Autorest;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Queues;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Runtime;

/// <summary>What a controller does when it runs: start its informers, wait for sync, run workers.</summary>
public interface IController
{
    string Name { get; }

    Task RunAsync(CancellationToken ct);
}

/// <summary>
/// The worker half of a controller: keys come from a de-duplicating, rate-limited queue;
/// <see cref="ReconcileAsync"/> is level-triggered (reads current state from caches, never the event);
/// an exception requeues the key with per-item back-off, success forgets its back-off.
/// </summary>
public abstract partial class Reconciler
{
    private readonly ILogger _log;

    protected Reconciler(TimeProvider time, ILogger log, IRateLimiter<string>? limiter = null)
    {
        Time = time;
        _log = log;
        Queue = new WorkQueue<string>(limiter ?? RateLimiters.DefaultController<string>(time), time);
    }

    public WorkQueue<string> Queue { get; }

    protected TimeProvider Time { get; }

    protected ILogger Log => _log;

    /// <summary>Brings the object with this key to its desired state.</summary>
    public abstract Task ReconcileAsync(string key, CancellationToken ct);

    /// <summary>Runs <paramref name="workers"/> workers until cancelled.</summary>
    public Task RunWorkersAsync(int workers, CancellationToken ct)
    {
        ct.Register(Queue.ShutDown);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(ct), CancellationToken.None)));
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (true)
        {
            var (ok, key) = await Queue.GetAsync(ct);
            if (!ok)
            {
                return;
            }

            try
            {
                await ReconcileAsync(key, ct);
                Queue.Forget(key);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsConflict(e))
            {
                // Another writer got there first (a stale cached copy): routine, as in client-go's
                // controllers, which requeue these without a stack trace.
                LogReconcileConflict(_log, GetType().Name, key, e.Message);
                Queue.AddRateLimited(key);
            }
            catch (Exception e)
            {
                LogReconcileFailed(_log, e, GetType().Name, key, Queue.Retries(key));
                Queue.AddRateLimited(key);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private static bool IsConflict(Exception e) => e switch
    {
        HttpOperationException h => h.Response.StatusCode == HttpStatusCode.Conflict,
        ApiStatusException a => a.Status.Code == (int)HttpStatusCode.Conflict,
        _ => false,
    };

    [LoggerMessage(LogLevel.Debug, "{Controller} requeues {Key} after a conflict: {Message}")]
    private static partial void LogReconcileConflict(ILogger logger, string controller, string key, string message);

    [LoggerMessage(LogLevel.Warning, "{Controller} failed to reconcile {Key} (retry {Retries})")]
    private static partial void LogReconcileFailed(ILogger logger, Exception e, string controller, string key, int retries);
}
