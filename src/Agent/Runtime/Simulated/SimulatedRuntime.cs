using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using KubeWeb.Agent.Pods;

namespace KubeWeb.Agent.Runtime.Simulated;

/// <summary>
/// A runtime that runs nothing: a pod's containers "start" after <see cref="SimulatedRuntimeOptions.StartDelay"/>
/// and "stop" after their grace period (scaled and bounded), init containers complete at once,
/// pod IPs come from the node's pod CIDR. Lets one machine host hundreds of nodes for scale tests.
/// Containers write a CRI-format log and serve a few exec commands and their ports (<c>.Streams</c>),
/// and report synthetic resource usage (<c>.Stats</c>).
/// </summary>
public sealed partial class SimulatedRuntime(SimulatedRuntimeOptions options, TimeProvider time) : IPodRuntime, IPodEventProducer, Stats.IStatsSource
{
    /// <summary>Where the kubelet events go: Pulled, Created and Started when containers start, Killing when they stop.</summary>
    public IPodEvents Events { get; set; } = NoPodEvents.Instance;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimPod> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<int> _usedHosts = [];
    private uint _network;
    private int _hostCount;

    public string Version => "simulated://1.0.0";

    public event Action<string>? PodChanged;

    public Task UpdatePodCidrAsync(string podCidr, CancellationToken ct)
    {
        var net = IPNetwork.Parse(podCidr);
        var bytes = net.BaseAddress.GetAddressBytes();
        lock (_lock)
        {
            _network = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
            _hostCount = (int)Math.Min(1u << (32 - net.PrefixLength), 65536u);
        }

        return Task.CompletedTask;
    }

    public Task SyncPodAsync(V1Pod pod, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        var now = Now();
        bool created;
        lock (_lock)
        {
            if (_pods.TryGetValue(uid, out var existing))
            {
                created = false;
                existing.Pod = pod;
                if (existing.Stopping is null)
                {
                    ReplaceChangedImages(existing, pod, now);
                }
            }
            else
            {
                created = true;
                var sim = new SimPod(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name, uid, AllocateIp(), now) { Pod = pod };
                sim.Ports.UnionWith((pod.Spec.Containers ?? []).SelectMany(c => c.Ports ?? []).Select(p => p.ContainerPort));
                foreach (var c in pod.Spec.InitContainers ?? [])
                {
                    // Regular init containers complete at once; sidecars keep running until the pod stops.
                    sim.Containers.Add(c.IsSidecar()
                        ? new RuntimeContainer(c.Name, NewId(), ImageReference.Normalize(c.Image), ImageId(c.Image), ContainerState.Running, 0, now, IsInit: true)
                        : new RuntimeContainer(c.Name, NewId(), ImageReference.Normalize(c.Image), ImageId(c.Image), ContainerState.Exited, 0, now, now, 0, "Completed", IsInit: true));
                }

                foreach (var c in pod.Spec.Containers ?? [])
                {
                    sim.Requests[c.Name] = SyntheticUsage.Requests(c);
                    sim.Containers.Add(new RuntimeContainer(c.Name, "", ImageReference.Normalize(c.Image), ImageId(c.Image), ContainerState.Waiting, 0, Reason: "ContainerCreating"));
                }

                _pods[uid] = sim;
            }
        }

        if (created)
        {
            PodChanged?.Invoke(uid);
            _ = StartLaterAsync(uid);
        }

        return Task.CompletedTask;
    }

    public Task KillPodAsync(string podUid, TimeSpan gracePeriod, CancellationToken ct)
    {
        var delay = TimeSpan.FromTicks((long)(gracePeriod.Ticks * options.TerminationScale));
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > options.MaxTerminationDelay ? options.MaxTerminationDelay : delay;
        var deadline = time.GetUtcNow() + delay;
        SimPod? sim;
        lock (_lock)
        {
            if (!_pods.TryGetValue(podUid, out sim) || sim.StoppedAt is not null)
            {
                return Task.CompletedTask;
            }

            if (sim.Stopping is not null && sim.StopDeadline <= deadline)
            {
                return sim.Stopping.Task.WaitAsync(ct);
            }

            sim.StopDeadline = deadline;
            if (sim.Stopping is null && sim.Pod is { } pod)
            {
                // As the kubelet, Killing is reported when the stop begins.
                foreach (var c in sim.Containers.Where(c => !c.IsInit && c.State == ContainerState.Running))
                {
                    Events.Record(pod, "Normal", "Killing", "Stopping container " + c.Name, "spec.containers{" + c.Name + "}");
                }
            }

            sim.Stopping ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            sim.Graceful = gracePeriod > TimeSpan.Zero;
        }

        _ = StopAtAsync(podUid, deadline, delay);
        return sim.Stopping.Task.WaitAsync(ct);
    }

    public Task RemovePodAsync(string podUid, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_pods.Remove(podUid, out var sim))
            {
                DeleteLogs(sim);
                sim.Stopping?.TrySetResult();
                if (sim.HostIndex > 0)
                {
                    _usedHosts.Remove(sim.HostIndex);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<RuntimePod?> GetPodAsync(string podUid, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_pods.TryGetValue(podUid, out var sim) ? Snapshot(sim) : null);
        }
    }

    public Task<IReadOnlyList<RuntimePod>> ListPodsAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RuntimePod>>([.. _pods.Values.Select(Snapshot)]);
        }
    }

    private async Task StartLaterAsync(string uid)
    {
        await Task.Delay(options.StartDelay, time);
        var now = Now();
        var started = new List<(SimPod, RuntimeContainer)>();
        lock (_lock)
        {
            if (!_pods.TryGetValue(uid, out var sim) || sim.Stopping is not null)
            {
                return;
            }

            for (var i = 0; i < sim.Containers.Count; i++)
            {
                if (sim.Containers[i] is { IsInit: false, State: ContainerState.Waiting } c)
                {
                    sim.Containers[i] = c with { Id = NewId(), State = ContainerState.Running, StartedAt = now, Reason = null };
                    started.Add((sim, sim.Containers[i]));
                }
            }
        }

        foreach (var (sim, c) in started)
        {
            LogStarted(sim, c);
            if (sim.Pod is { } pod)
            {
                var spec = pod.Spec.Containers?.FirstOrDefault(s => s.Name == c.Name);
                var field = "spec.containers{" + c.Name + "}";
                Events.Record(pod, "Normal", "Pulled", $"Container image \"{spec?.Image ?? c.Image}\" already present on machine", field);
                Events.Record(pod, "Normal", "Created", "Created container: " + c.Name, field);
                Events.Record(pod, "Normal", "Started", "Started container " + c.Name, field);
            }
        }

        PodChanged?.Invoke(uid);
    }

    private async Task StopAtAsync(string uid, DateTimeOffset deadline, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time);
        }

        var now = Now();
        TaskCompletionSource? done;
        var stopped = new List<(SimPod, RuntimeContainer)>();
        lock (_lock)
        {
            // A later, shorter kill moved the deadline; that call's timer finishes the stop.
            if (!_pods.TryGetValue(uid, out var sim) || sim.StopDeadline != deadline || sim.StoppedAt is not null)
            {
                return;
            }

            for (var i = 0; i < sim.Containers.Count; i++)
            {
                if (sim.Containers[i] is var c && (!c.IsInit || c.State == ContainerState.Running) && c.State != ContainerState.Exited)
                {
                    if (c.State == ContainerState.Running)
                    {
                        stopped.Add((sim, c));
                    }

                    sim.Containers[i] = c.State == ContainerState.Running
                        ? c with { State = ContainerState.Exited, FinishedAt = now, ExitCode = sim.Graceful ? 0 : 137, Reason = sim.Graceful ? "Completed" : "Error" }
                        : c with { State = ContainerState.Exited, StartedAt = null, FinishedAt = now, ExitCode = 0, Reason = "Completed" };
                }
            }

            sim.StoppedAt = now;
            done = sim.Stopping;
        }

        foreach (var (sim, c) in stopped)
        {
            LogStopped(sim, c);
        }

        PodChanged?.Invoke(uid);
        done?.TrySetResult();
    }

    private void ReplaceChangedImages(SimPod sim, V1Pod pod, DateTime now)
    {
        var changed = false;
        foreach (var spec in pod.Spec.Containers ?? [])
        {
            var i = sim.Containers.FindIndex(c => !c.IsInit && c.Name == spec.Name);
            if (i >= 0 && sim.Containers[i].Image != ImageReference.Normalize(spec.Image))
            {
                // As the kubelet: an image change kills the container and starts the new one, counting a restart.
                var c = sim.Containers[i];
                sim.Containers[i] = c with
                {
                    Id = NewId(),
                    Image = ImageReference.Normalize(spec.Image),
                    ImageId = ImageId(spec.Image),
                    State = ContainerState.Running,
                    RestartCount = c.RestartCount + 1,
                    StartedAt = now,
                };
                changed = true;
                LogStopped(sim, c);
                LogStarted(sim, sim.Containers[i]);
            }
        }

        if (changed)
        {
            var uid = sim.Uid;
            _ = Task.Run(() => PodChanged?.Invoke(uid));
        }
    }

    private (string? Ip, int Host) AllocateIp()
    {
        if (_hostCount == 0)
        {
            return (null, 0);
        }

        // .0 is the network, .1 the node's bridge; the last address is broadcast.
        for (var host = 2; host < _hostCount - 1; host++)
        {
            if (_usedHosts.Add(host))
            {
                var v = _network + (uint)host;
                return (new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]).ToString(), host);
            }
        }

        return (null, 0);
    }

    /// <summary>Kubernetes times have second precision; so do the simulated ones, so statuses compare equal after a round trip.</summary>
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static RuntimePod Snapshot(SimPod sim) =>
        new(sim.Uid, sim.Namespace, sim.Name, sim.StoppedAt is null, sim.Ip, sim.CreatedAt, [.. sim.Containers]) { StoppedAt = sim.StoppedAt };

    private static string NewId() => "simulated://" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    private static string ImageId(string? image)
    {
        var reference = ImageReference.Normalize(image);
        var repo = reference.Split('@')[0];
        var tagAt = repo.LastIndexOf(':');
        if (tagAt > repo.LastIndexOf('/'))
        {
            repo = repo[..tagAt];
        }

        return $"{repo}@sha256:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(reference))).ToLowerInvariant()}";
    }

    private sealed class SimPod
    {
        public SimPod(string ns, string name, string uid, (string? Ip, int Host) ip, DateTime createdAt)
        {
            Namespace = ns;
            Name = name;
            Uid = uid;
            Ip = ip.Ip;
            HostIndex = ip.Host;
            CreatedAt = createdAt;
        }

        public string Namespace { get; }

        public string Name { get; }

        public string Uid { get; }

        public string? Ip { get; }

        public int HostIndex { get; }

        public DateTime CreatedAt { get; }

        public V1Pod? Pod { get; set; }

        public List<RuntimeContainer> Containers { get; } = [];

        /// <summary>Per container: what its usage is synthesized from (<c>.Stats</c>).</summary>
        public Dictionary<string, (long MilliCpu, long MemoryBytes)> Requests { get; } = new(StringComparer.Ordinal);

        /// <summary>The container ports the spec declares: the ones a port-forward reaches.</summary>
        public HashSet<int> Ports { get; } = [];

        public TaskCompletionSource? Stopping { get; set; }

        public DateTimeOffset StopDeadline { get; set; }

        public bool Graceful { get; set; }

        public DateTime? StoppedAt { get; set; }
    }
}
