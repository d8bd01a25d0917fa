using System.Text;
using System.Threading.Channels;
using k8s.Models;
using KubeWeb.Agent.Probes;
using KubeWeb.Agent.Runtime;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Pods;

/// <summary>
/// Reconciles one pod (by uid) with the runtime, level-triggered: each pass reads the latest pod the
/// server sent and the runtime's current view, then acts: run it, stop it (honouring the grace
/// period), or remove it, and reports the resulting status when it differs from what the server
/// holds. Woken by server updates, runtime events and, after a failure, a back-off timer.
/// </summary>
internal sealed partial class PodWorker
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly PodWorkerContext _ctx;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile V1Pod _pod;
    private volatile bool _removed;
    private string? _reported;
    private bool _terminatedReported;
    private int _serverChanged = 1;

    public PodWorker(V1Pod pod, PodWorkerContext ctx)
    {
        _pod = pod;
        _ctx = ctx;
        Uid = pod.Metadata.Uid;
        _wake.Writer.TryWrite(true);
    }

    public string Uid { get; }

    public V1Pod Pod => _pod;

    /// <summary>A newer version of the pod from the server.</summary>
    public void Update(V1Pod pod)
    {
        _pod = pod;
        Interlocked.Exchange(ref _serverChanged, 1);
        Wake();
    }

    /// <summary>The pod is gone from the server (or no longer bound here): stop and remove it, then end.</summary>
    public void Remove()
    {
        _removed = true;
        Wake();
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Runs until the pod is removed and cleaned up, or <paramref name="ct"/> (the agent stopping) is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (await _wake.Reader.WaitToReadAsync(ct))
        {
            _wake.Reader.TryRead(out _);
            try
            {
                if (await SyncAsync(ct))
                {
                    return;
                }

                failures = 0;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 12))));
                LogSyncFailed(_ctx.Log, _pod.Metadata.NamespaceProperty, _pod.Metadata.Name, e.Message, delay);
                _ = WakeAfterAsync(delay, ct);
            }
        }
    }

    /// <summary>One reconcile pass; true when the worker is done.</summary>
    private async Task<bool> SyncAsync(CancellationToken ct)
    {
        var pod = _pod;
        var runtime = _ctx.Runtime;
        if (_removed)
        {
            await runtime.KillPodAsync(Uid, TimeSpan.Zero, ct);
            await runtime.RemovePodAsync(Uid, ct);
            _ctx.Probes?.Remove(Uid);
            _ctx.Statuses.Forget(Uid);
            return true;
        }

        var serverChanged = Interlocked.Exchange(ref _serverChanged, 0) == 1;
        if (serverChanged)
        {
            // The server's copy changed: compare against it again rather than against our last report.
            _reported = null;
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            var grace = TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30);
            if (await StillStoppingAsync(grace, ct))
            {
                // Report the pod as terminating meanwhile.
                await ReportAsync(pod, terminated: false, ct);
                return false;
            }

            if (!_terminatedReported)
            {
                _terminatedReported = true;
                await ReportAsync(pod, terminated: true, ct);
            }

            return false;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            // A terminal phase is final: nothing runs again. Finished before this agent saw it (or
            // before a restart): nothing to do. Otherwise the pod is stopped as the kubelet stops a
            // terminal pod: a finished one only loses its sandbox; one marked terminal by someone
            // else (the pod GC, a controller) while containers still run gets its grace period.
            var rt = await runtime.GetPodAsync(Uid, ct);
            if (rt is null)
            {
                return false;
            }

            if (rt.StoppedAt is null && await StillStoppingAsync(TimeSpan.FromSeconds(pod.Spec.TerminationGracePeriodSeconds ?? 30), ct))
            {
                return false;
            }

            await ReportAsync(pod, terminated: false, ct);
            return false;
        }

        await runtime.SyncPodAsync(pod, ct);
        await ReportAsync(pod, terminated: false, ct);
        return false;
    }

    /// <summary>
    /// Starts stopping the pod (or joins the stop in progress); true while it is still stopping, in
    /// which case the worker wakes again when the stop ends (or the pod changes).
    /// </summary>
    private async Task<bool> StillStoppingAsync(TimeSpan grace, CancellationToken ct)
    {
        var stop = _ctx.Runtime.KillPodAsync(Uid, grace, ct);
        if (!stop.IsCompleted)
        {
            _ = stop.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }

        await stop;
        return false;
    }

    private async Task ReportAsync(V1Pod pod, bool terminated, CancellationToken ct)
    {
        var rt = await _ctx.Runtime.GetPodAsync(Uid, ct);
        _ctx.Probes?.Update(pod, rt);
        var status = PodStatusBuilder.Build(pod, rt, _ctx.HostIp, _ctx.Probes);
        var wanted = Projection(status);
        if (!terminated && (wanted == _reported || wanted == Projection(pod.Status)))
        {
            return;
        }

        _reported = wanted;
        _ctx.Statuses.Report(new PodStatusReport(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name, Uid,
            Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(status)), terminated));
    }

    /// <summary>The agent-owned part of a status, without condition times (the server keeps its own).</summary>
    internal static string Projection(V1PodStatus? status)
    {
        if (status is null)
        {
            return "";
        }

        var owned = new V1PodStatus
        {
            Phase = status.Phase,
            HostIP = status.HostIP,
            PodIP = status.PodIP,
            PodIPs = status.PodIPs,
            StartTime = status.StartTime,
            ContainerStatuses = status.ContainerStatuses,
            InitContainerStatuses = status.InitContainerStatuses,
            Conditions = [.. (status.Conditions ?? [])
                .Where(c => PodStatusBuilder.OwnedConditions.Contains(c.Type))
                .OrderBy(c => c.Type, StringComparer.Ordinal)
                .Select(c => new V1PodCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message })],
        };
        return Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(owned));
    }

    private async Task WakeAfterAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _ctx.Time, ct);
            Wake();
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "Syncing pod {Namespace}/{Name} failed: {Reason}; retrying in {Delay}")]
    private static partial void LogSyncFailed(ILogger log, string? @namespace, string name, string reason, TimeSpan delay);
}

/// <summary>What every pod worker of one node shares.</summary>
/// <param name="Probes">Runs the pods' probes; null when the runtime cannot be probed (the simulated one).</param>
internal sealed record PodWorkerContext(IPodRuntime Runtime, IPodStatusSink Statuses, string HostIp, TimeProvider Time, ILogger Log, ProbeManager? Probes = null);
