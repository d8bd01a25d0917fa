using System.Text;
using k8s.Models;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Pods;

/// <summary>
/// One worker per pod uid, fed from the server's pod stream. A snapshot replaces the desired set:
/// pods missing from it are removed, pods already known only get the newer object, so applying
/// the same snapshot again (after a reconnect) never starts anything twice. Runtime events wake
/// the matching worker; runtime pods nobody wants (left from before a restart) are stopped.
/// </summary>
internal sealed partial class PodWorkers : IAsyncDisposable
{
    private readonly PodWorkerContext _ctx;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (PodWorker Worker, Task Run)> _workers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public PodWorkers(PodWorkerContext ctx)
    {
        _ctx = ctx;
        ctx.Runtime.PodChanged += OnRuntimeChanged;
        if (ctx.Probes is { } probes)
        {
            probes.Changed += OnRuntimeChanged;
        }
    }

    /// <summary>Told of every mirror pod the server lists for the node (namespace, name); they are never run from here.</summary>
    public Action<string, string>? MirrorPodSeen { get; set; }

    /// <summary>Runtime pods the server does not assign that must not be stopped as orphans (static pods).</summary>
    public Func<string, bool>? KeepRuntimePod { get; set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _workers.Count;
            }
        }
    }

    public async Task ApplyAsync(PodAssignmentBatch batch, CancellationToken ct)
    {
        if (batch.IsSnapshot)
        {
            var wanted = batch.Changes.Where(c => c.Type == PodChangeType.Upsert).Select(c => c.Uid).ToHashSet(StringComparer.Ordinal);
            List<PodWorker> gone;
            lock (_lock)
            {
                gone = [.. _workers.Values.Select(w => w.Worker).Where(w => !wanted.Contains(w.Uid))];
            }

            foreach (var w in gone)
            {
                w.Remove();
            }

            foreach (var c in batch.Changes)
            {
                Apply(c);
            }

            await StopOrphansAsync(wanted, ct);
            return;
        }

        foreach (var c in batch.Changes)
        {
            Apply(c);
        }
    }

    private void Apply(PodChange change)
    {
        lock (_lock)
        {
            if (change.Type == PodChangeType.Delete)
            {
                if (_workers.TryGetValue(change.Uid, out var w))
                {
                    w.Worker.Remove();
                }

                return;
            }

            var pod = KubeJson.Deserialize<V1Pod>(Encoding.UTF8.GetBytes(change.Pod!))!;
            if (StaticPodAnnotations.IsMirror(pod.Metadata.Annotations))
            {
                // The API's copy of a static pod: the static pod manager runs the real one from its file.
                MirrorPodSeen?.Invoke(change.Namespace, change.Name);
                return;
            }

            if (_workers.TryGetValue(change.Uid, out var existing))
            {
                existing.Worker.Update(pod);
                return;
            }

            var worker = new PodWorker(pod, _ctx);
            _workers[change.Uid] = (worker, RunAsync(worker));
        }
    }

    private async Task RunAsync(PodWorker worker)
    {
        await Task.Yield();
        try
        {
            await worker.RunAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                if (_workers.TryGetValue(worker.Uid, out var w) && w.Worker == worker)
                {
                    _workers.Remove(worker.Uid);
                }
            }
        }
    }

    /// <summary>Runtime pods that no worker wants (the agent restarted while they were being deleted) are stopped and removed.</summary>
    private async Task StopOrphansAsync(HashSet<string> wanted, CancellationToken ct)
    {
        foreach (var rt in await _ctx.Runtime.ListPodsAsync(ct))
        {
            if (!wanted.Contains(rt.Uid) && KeepRuntimePod?.Invoke(rt.Uid) != true)
            {
                bool active;
                lock (_lock)
                {
                    active = _workers.ContainsKey(rt.Uid);
                }

                if (!active)
                {
                    LogOrphan(_ctx.Log, rt.Namespace, rt.Name, rt.Uid);
                    await _ctx.Runtime.KillPodAsync(rt.Uid, TimeSpan.Zero, ct);
                    await _ctx.Runtime.RemovePodAsync(rt.Uid, ct);
                }
            }
        }
    }

    private void OnRuntimeChanged(string uid)
    {
        lock (_lock)
        {
            if (_workers.TryGetValue(uid, out var w))
            {
                w.Worker.Wake();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ctx.Runtime.PodChanged -= OnRuntimeChanged;
        if (_ctx.Probes is { } probes)
        {
            probes.Changed -= OnRuntimeChanged;
        }

        await _stopping.CancelAsync();
        Task[] runs;
        lock (_lock)
        {
            runs = [.. _workers.Values.Select(w => w.Run)];
        }

        await Task.WhenAll(runs);
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Stopping pod {Namespace}/{Name} ({Uid}): the server no longer assigns it here")]
    private static partial void LogOrphan(ILogger log, string @namespace, string name, string uid);
}
