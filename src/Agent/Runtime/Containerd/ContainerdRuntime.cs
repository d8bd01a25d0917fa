using System.Collections.Concurrent;
using Grpc.Core;
using KubeWeb.Agent.Cri.V1;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Runs pods through containerd's CRI, as the kubelet's kuberuntime manager does: one sandbox per
/// pod, init containers in order (sidecars kept running), then the app containers, restarts per restartPolicy with
/// CrashLoopBackOff, image pull policies, graceful stops and full clean-up (sandbox, logs, pod
/// folder, pod cgroups). Its view of a pod is always rebuilt from CRI (labels identify pods), so
/// after an agent restart running pods are adopted, not restarted; only back-off timers and
/// waiting reasons live in memory. A relist every second is the PLEG: state changes raise
/// <see cref="PodChanged"/>.
/// Split: <c>.Sync</c> (running a pod), <c>.Init</c> (init containers and sidecars), <c>.Stop</c> (kill and removal), <c>.View</c> (status).
/// </summary>
public sealed partial class ContainerdRuntime : IPodRuntime, IPodObjectConsumer, IPodEventProducer, IAsyncDisposable
{
    private readonly ContainerdRuntimeOptions _options;
    private readonly CriClient _cri;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, PodState> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly PodTokens _tokens;
    private Task? _relist;
    private Task? _volumes;
    private string? _podCidr;

    private ContainerdRuntime(ContainerdRuntimeOptions options, CriClient cri, string version, TimeProvider time, ILogger log)
    {
        _options = options;
        _cri = cri;
        _time = time;
        _log = log;
        _tokens = new PodTokens(time);
        Version = version;
    }

    public string Version { get; }

    /// <summary>Where ConfigMaps and Secrets come from (the node agent's server connection).</summary>
    public IPodObjectSource? Objects { get; set; }

    /// <summary>Where kubelet-style pod events go (the node agent's server connection).</summary>
    public IPodEvents Events { get; set; } = NoPodEvents.Instance;

    public event Action<string>? PodChanged;

    internal CriClient Cri => _cri;

    public ContainerdRuntimeOptions Options => _options;

    /// <summary>Connects (the socket must answer the CRI Version call) and starts the relist loop.</summary>
    /// <exception cref="IOException">The socket is missing.</exception>
    /// <exception cref="RpcException">containerd did not answer.</exception>
    public static async Task<ContainerdRuntime> ConnectAsync(ContainerdRuntimeOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var socket = ContainerdRuntimeOptions.SocketFromEndpoint(options.SocketPath);
        if (!File.Exists(socket))
        {
            throw new IOException($"containerd socket {socket} does not exist (is containerd running?)");
        }

        var cri = new CriClient(socket);
        string version;
        try
        {
            version = await cri.VersionAsync(ct);
        }
        catch
        {
            cri.Dispose();
            throw;
        }

        Directory.CreateDirectory(options.PodsDir);
        Directory.CreateDirectory(options.LogsDir);
        var runtime = new ContainerdRuntime(options, cri, version, time, loggers.CreateLogger<ContainerdRuntime>());
        runtime._relist = Task.Run(() => runtime.RelistLoopAsync(runtime._stopping.Token), CancellationToken.None);
        runtime._volumes = Task.Run(() => runtime.VolumeLoopAsync(runtime._stopping.Token), CancellationToken.None);
        return runtime;
    }

    public async Task UpdatePodCidrAsync(string podCidr, CancellationToken ct)
    {
        if (podCidr == _podCidr)
        {
            return;
        }

        _options.Managed?.WriteCniConflist(podCidr);
        if (_options.Managed is { } managed && File.Exists(PodNetworkRoutes.ProcNetRoute) &&
            PodNetworkRoutes.OtherInterfaces(await File.ReadAllTextAsync(PodNetworkRoutes.ProcNetRoute, ct), podCidr, managed.BridgeName) is { Count: > 0 } others)
        {
            LogPodCidrRoutedElsewhere(_log, podCidr, string.Join(", ", others));
        }

        await _cri.Runtime.UpdateRuntimeConfigAsync(new UpdateRuntimeConfigRequest
        {
            RuntimeConfig = new RuntimeConfig { NetworkConfig = new NetworkConfig { PodCidr = podCidr } },
        }, cancellationToken: ct);
        await WaitNetworkReadyAsync(ct);
        _podCidr = podCidr;
    }

    /// <summary>containerd loads a new CNI config asynchronously; sandboxes fail until it has.</summary>
    private async Task WaitNetworkReadyAsync(CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
        {
            var status = await _cri.Runtime.StatusAsync(new StatusRequest(), cancellationToken: ct);
            if (status.Status.Conditions.FirstOrDefault(c => c.Type == "NetworkReady") is { Status: true })
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, ct);
        }

        LogNetworkNotReady(_log);
    }

    private PodState State(string uid) => _pods.GetOrAdd(uid, u => new PodState(u, new Backoff(_options.InitialBackoff, _options.MaxBackoff)));

    private void Changed(string uid) => PodChanged?.Invoke(uid);

    /// <summary>Wakes the pod's worker at <paramref name="at"/> (the end of a back-off).</summary>
    private void WakeAt(PodState st, DateTimeOffset at)
    {
        var due = at - _time.GetUtcNow() + TimeSpan.FromMilliseconds(50);
        lock (st)
        {
            st.Timer?.Dispose();
            st.Timer = _time.CreateTimer(_ => Changed(st.Uid), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_relist is not null)
        {
            await _relist;
        }

        if (_volumes is not null)
        {
            await _volumes;
        }

        foreach (var st in _pods.Values)
        {
            st.Timer?.Dispose();
        }

        _cri.Dispose();
        _stopping.Dispose();
    }

    /// <summary>What the runtime keeps in memory about one pod: back-offs, waiting reasons, the stop in progress.</summary>
    private sealed class PodState(string uid, Backoff backoff)
    {
        public string Uid { get; } = uid;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Backoff Backoff { get; } = backoff;

        public k8s.Models.V1Pod? Pod { get; set; }

        /// <summary>Why a container is not running, keyed by <see cref="Key"/>: ErrImagePull, CrashLoopBackOff...</summary>
        public ConcurrentDictionary<string, (string Reason, string Message)> Waiting { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, string> Ips { get; } = new(StringComparer.Ordinal);

        /// <summary>configMap/secret/downwardAPI volumes that could not be written, by volume name.</summary>
        public IReadOnlyDictionary<string, string> VolumeErrors { get; set; } = new Dictionary<string, string>();

        /// <summary>persistentVolumeClaim volumes → their path on the node.</summary>
        public IReadOnlyDictionary<string, string> Claims { get; set; } = new Dictionary<string, string>();

        /// <summary>The last FailedMount event sent (message, when), so retries do not repeat it every few seconds.</summary>
        public (string Message, DateTimeOffset At)? LastMountEvent { get; set; }

        public DateTimeOffset? VolumesSyncedAt { get; set; }

        public (DateTimeOffset Deadline, Task Task)? Stop { get; set; }

        public volatile bool Killing;

        /// <summary>Cancelled when the pod's stop begins: ends a postStart hook still running.</summary>
        public CancellationTokenSource Killed { get; } = new();

        public DateTime? StoppedAt { get; set; }

        public ITimer? Timer { get; set; }

        public static string Key(bool init, string name) => (init ? "init/" : "app/") + name;
    }

    [LoggerMessage(LogLevel.Error, "The pod CIDR {Cidr} is also routed through {Interfaces} (a bridge another KubeWeb data dir left behind, or another network): this node cannot reach its pods until that route is gone (for a stale bridge: ip link delete NAME)")]
    private static partial void LogPodCidrRoutedElsewhere(ILogger log, string cidr, string interfaces);

    [LoggerMessage(LogLevel.Warning, "containerd does not report NetworkReady after the CNI config was written; pods may fail to start until it does")]
    private static partial void LogNetworkNotReady(ILogger log);
}
