using k8s.Models;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Runtime;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Probes;

/// <summary>
/// The kubelet's prober manager for one node: a <see cref="ProbeWorker"/> per (pod, container, probe
/// kind), fed by the pod workers with each sync's runtime view (<see cref="Update"/>), and the probe
/// results the status builder asks for (<see cref="IsStarted"/>, <see cref="IsReady"/>). A result
/// change raises <see cref="Changed"/> so the pod's worker reports the new status at once.
/// </summary>
internal sealed partial class ProbeManager : IStartupResults, IAsyncDisposable
{
    private readonly IContainerProbeTarget _target;
    private readonly IPodEvents _events;
    private readonly HandlerRunner _runner;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodProbes> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public ProbeManager(IContainerProbeTarget target, IPodEvents events, TimeProvider time, ILogger log, HttpMessageInvoker? http = null)
    {
        _target = target;
        _events = events;
        Time = time;
        _log = log;
        _runner = new HandlerRunner(target, http ?? HandlerRunner.CreateHttpClient(), time);
    }

    public TimeProvider Time { get; }

    /// <summary>False in tests that drive <see cref="ProbeWorker.ProbeOnceAsync"/> themselves.</summary>
    internal bool RunWorkers { get; init; } = true;

    /// <summary>Raised with a pod uid when one of its probe results changed.</summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Starts workers for the pod's probes (sidecars and app containers; regular init containers are not probed) and hands
    /// them the containers' current state. A pod being deleted keeps only its readiness probes.
    /// </summary>
    public void Update(V1Pod pod, RuntimePod? rt)
    {
        var uid = pod.Metadata.Uid;
        var deleting = pod.Metadata.DeletionTimestamp is not null;
        List<(ProbeWorker Worker, CancellationToken? Start)> workers = [];
        lock (_lock)
        {
            if (!_pods.TryGetValue(uid, out var probes))
            {
                if (!Sidecars.LongRunning(pod.Spec).Any(HasProbes))
                {
                    return;
                }

                probes = new PodProbes(CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
                _pods[uid] = probes;
            }

            probes.Pod = pod;
            foreach (var spec in Sidecars.LongRunning(pod.Spec))
            {
                foreach (var (kind, probe) in Probes(spec))
                {
                    var key = $"{spec.Name}/{kind}";
                    if (deleting && kind != ProbeKind.Readiness)
                    {
                        if (probes.Workers.Remove(key, out var stopped))
                        {
                            stopped.Cancel.Cancel();
                        }

                        continue;
                    }

                    if (probes.Workers.TryGetValue(key, out var existing))
                    {
                        workers.Add((existing.Worker, null));
                        continue;
                    }

                    var worker = new ProbeWorker(this, uid, spec, kind, probe);
                    var cancel = CancellationTokenSource.CreateLinkedTokenSource(probes.Cancel.Token);
                    probes.Workers[key] = (worker, cancel);
                    workers.Add((worker, cancel.Token));
                }
            }
        }

        foreach (var (worker, start) in workers)
        {
            var c = rt?.Containers.FirstOrDefault(x => x.IsInit == worker.Container.IsSidecar() && x.Name == worker.Container.Name);
            worker.Observe(c is null ? null : new ProbedContainer(c.Id, c.State == ContainerState.Running, c.StartedAt, rt!.Ip));
            if (start is { } token && RunWorkers)
            {
                _ = RunWorkerAsync(worker, token);
            }
        }
    }

    /// <summary>Stops the pod's workers and forgets its results (the pod is gone).</summary>
    public void Remove(string podUid)
    {
        lock (_lock)
        {
            if (_pods.Remove(podUid, out var probes))
            {
                probes.Cancel.Cancel();
                probes.Cancel.Dispose();
            }
        }
    }

    /// <summary>containerStatuses[].started: running, and its startup probe (if any) succeeded for this container id.</summary>
    public bool IsStarted(string podUid, V1Container spec, string containerId) =>
        spec.StartupProbe is null || Result(podUid, spec.Name, ProbeKind.Startup, containerId) == ProbeResult.Success;

    /// <summary>containerStatuses[].ready: started, and its readiness probe (if any) succeeded for this container id.</summary>
    public bool IsReady(string podUid, V1Container spec, string containerId) =>
        IsStarted(podUid, spec, containerId)
        && (spec.ReadinessProbe is null || Result(podUid, spec.Name, ProbeKind.Readiness, containerId) == ProbeResult.Success);

    internal ProbeWorker? Worker(string podUid, string container, ProbeKind kind)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(podUid, out var p) && p.Workers.TryGetValue($"{container}/{kind}", out var w) ? w.Worker : null;
        }
    }

    internal V1Pod? Pod(string podUid)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(podUid, out var p) ? p.Pod : null;
        }
    }

    internal void ResultChanged(string podUid) => Changed?.Invoke(podUid);

    internal async Task<ProbeOutcome> RunProbeAsync(ProbeWorker worker, V1Pod pod, ProbedContainer c, CancellationToken ct)
    {
        ProbeOutcome outcome;
        try
        {
            outcome = await _runner.ProbeAsync(worker.Probe, worker.Container, c.Id, c.PodIp, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // As the kubelet: a probe that could not run is an error, recorded as a warning, and changes nothing.
            _events.Record(pod, "Warning", "Unhealthy", $"{worker.Kind} probe errored: {e.Message}", FieldPath(worker));
            return new ProbeOutcome(ProbeResult.Unknown, e.Message);
        }

        if (outcome.Result == ProbeResult.Failure)
        {
            _events.Record(pod, "Warning", "Unhealthy", $"{worker.Kind} probe failed: {outcome.Output}", FieldPath(worker));
            LogProbeFailed(_log, worker.Kind, pod.Metadata.NamespaceProperty, pod.Metadata.Name, worker.Container.Name, outcome.Output);
        }

        return outcome;
    }

    internal async Task KillAsync(ProbeWorker worker, V1Pod pod, ProbedContainer c, CancellationToken ct)
    {
        var kind = worker.Kind == ProbeKind.Liveness ? "liveness" : "startup";
        var grace = worker.Probe.TerminationGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30;
        try
        {
            await _target.KillContainerAsync(pod, worker.Container.Name, c.Id, TimeSpan.FromSeconds(grace),
                $"Container {worker.Container.Name} failed {kind} probe, will be restarted", ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogKillFailed(_log, pod.Metadata.NamespaceProperty, pod.Metadata.Name, worker.Container.Name, e.Message);
        }

        Changed?.Invoke(worker.PodUid);
    }

    private async Task RunWorkerAsync(ProbeWorker worker, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await worker.RunAsync(Time, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogWorkerFailed(_log, worker.Container.Name, worker.Kind, e.Message);
        }
    }

    private static string FieldPath(ProbeWorker worker) =>
        (worker.Container.IsSidecar() ? "spec.initContainers{" : "spec.containers{") + worker.Container.Name + "}";

    private ProbeResult Result(string podUid, string container, ProbeKind kind, string containerId) =>
        Worker(podUid, container, kind) is { } w && w.ResultFor == containerId ? w.Result : ProbeResult.Unknown;

    private static bool HasProbes(V1Container c) => c.LivenessProbe is not null || c.ReadinessProbe is not null || c.StartupProbe is not null;

    private static IEnumerable<(ProbeKind Kind, V1Probe Probe)> Probes(V1Container c)
    {
        if (c.StartupProbe is { } s)
        {
            yield return (ProbeKind.Startup, s);
        }

        if (c.LivenessProbe is { } l)
        {
            yield return (ProbeKind.Liveness, l);
        }

        if (c.ReadinessProbe is { } r)
        {
            yield return (ProbeKind.Readiness, r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private sealed class PodProbes(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;

        public V1Pod? Pod { get; set; }

        public Dictionary<string, (ProbeWorker Worker, CancellationTokenSource Cancel)> Workers { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(LogLevel.Information, "{Kind} probe of {Namespace}/{Pod} container {Container} failed: {Output}")]
    private static partial void LogProbeFailed(ILogger log, ProbeKind kind, string? @namespace, string pod, string container, string output);

    [LoggerMessage(LogLevel.Warning, "Killing container {Container} of {Namespace}/{Pod} after a failed probe failed: {Reason}")]
    private static partial void LogKillFailed(ILogger log, string? @namespace, string pod, string container, string reason);

    [LoggerMessage(LogLevel.Warning, "Probe worker {Container}/{Kind} ended: {Reason}")]
    private static partial void LogWorkerFailed(ILogger log, string container, ProbeKind kind, string reason);
}
