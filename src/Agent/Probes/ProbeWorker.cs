using k8s.Models;

namespace KubeWeb.Agent.Probes;

public enum ProbeKind
{
    Liveness,
    Readiness,
    Startup,
}

/// <summary>The container a probe worker watches, as the last pod sync saw it.</summary>
internal sealed record ProbedContainer(string Id, bool Running, DateTime? StartedAt, string? PodIp);

/// <summary>
/// One probe of one container, as the kubelet's prober worker: every <c>periodSeconds</c> it runs the
/// probe once the container has run <c>initialDelaySeconds</c> (liveness and readiness only after
/// the startup probe succeeded), and flips the result after <c>successThreshold</c> successes or
/// <c>failureThreshold</c> failures in a row. Results belong to one container id: a restarted
/// container starts over from the initial result (readiness failed, liveness succeeded, startup
/// unknown). A liveness or startup failure kills the container and holds the worker until a new
/// container replaces it. Every failed run records an Unhealthy event.
/// </summary>
internal sealed class ProbeWorker
{
    private readonly ProbeManager _manager;
    private readonly Lock _lock = new();
    private ProbedContainer? _container;
    private string? _containerId;
    private ProbeResult _lastResult = ProbeResult.Unknown;
    private int _resultRun;
    private bool _onHold;

    public ProbeWorker(ProbeManager manager, string podUid, V1Container container, ProbeKind kind, V1Probe probe)
    {
        _manager = manager;
        PodUid = podUid;
        Container = container;
        Kind = kind;
        Probe = probe;
        Result = Initial(kind);
    }

    public string PodUid { get; }

    public V1Container Container { get; }

    public ProbeKind Kind { get; }

    public V1Probe Probe { get; }

    /// <summary>The current result, for <see cref="ResultFor"/>'s container id.</summary>
    public ProbeResult Result { get; private set; }

    public string? ResultFor => _containerId;

    public TimeSpan Period => TimeSpan.FromSeconds(Math.Max(1, Probe.PeriodSeconds ?? 10));

    public void Observe(ProbedContainer? container)
    {
        lock (_lock)
        {
            _container = container;
        }
    }

    public async Task RunAsync(TimeProvider time, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await ProbeOnceAsync(ct);
            await Task.Delay(Period, time, ct);
        }
    }

    /// <summary>One tick of the worker (public for tests, which drive ticks themselves).</summary>
    public async Task ProbeOnceAsync(CancellationToken ct)
    {
        ProbedContainer? c;
        lock (_lock)
        {
            c = _container;
        }

        if (c is null || c.Id.Length == 0)
        {
            return;
        }

        if (c.Id != _containerId)
        {
            _containerId = c.Id;
            _onHold = false;
            _resultRun = 0;
            _lastResult = ProbeResult.Unknown;
            Set(Initial(Kind));
        }

        if (!c.Running)
        {
            // As the kubelet: a container that is not running is not ready (nor alive) until it runs again.
            if (Kind != ProbeKind.Startup)
            {
                Set(ProbeResult.Failure);
            }

            return;
        }

        if (_onHold)
        {
            return;
        }

        var pod = _manager.Pod(PodUid);
        if (pod is null)
        {
            return;
        }

        var started = _manager.IsStarted(PodUid, Container, c.Id);
        if (Kind == ProbeKind.Startup ? started : !started)
        {
            return;
        }

        var now = _manager.Time.GetUtcNow().UtcDateTime;
        if (c.StartedAt is { } at && (int)(now - at).TotalSeconds < (Probe.InitialDelaySeconds ?? 0))
        {
            return;
        }

        var outcome = await _manager.RunProbeAsync(this, pod, c, ct);
        if (outcome.Result == ProbeResult.Unknown)
        {
            // The kubelet keeps the previous result when a probe could not run.
            return;
        }

        if (outcome.Result == _lastResult)
        {
            _resultRun++;
        }
        else
        {
            _lastResult = outcome.Result;
            _resultRun = 1;
        }

        if ((outcome.Result == ProbeResult.Failure && _resultRun < Math.Max(1, Probe.FailureThreshold ?? 3))
            || (outcome.Result == ProbeResult.Success && _resultRun < Math.Max(1, Probe.SuccessThreshold ?? 1)))
        {
            return;
        }

        Set(outcome.Result);
        if (outcome.Result == ProbeResult.Failure && Kind is ProbeKind.Liveness or ProbeKind.Startup)
        {
            // Stop probing this container; the one that replaces it starts over.
            _onHold = true;
            _resultRun = 0;
            await _manager.KillAsync(this, pod, c, ct);
        }
    }

    private void Set(ProbeResult result)
    {
        if (Result != result)
        {
            Result = result;
            _manager.ResultChanged(PodUid);
        }
    }

    private static ProbeResult Initial(ProbeKind kind) => kind switch
    {
        ProbeKind.Liveness => ProbeResult.Success,
        ProbeKind.Readiness => ProbeResult.Failure,
        _ => ProbeResult.Unknown,
    };
}
