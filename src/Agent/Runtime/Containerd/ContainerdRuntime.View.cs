using System.Collections.Concurrent;
using Grpc.Core;
using KubeWeb.Agent.Cri.V1;
using Microsoft.Extensions.Logging;
using CriState = KubeWeb.Agent.Cri.V1.ContainerState;

namespace KubeWeb.Agent.Runtime.Containerd;

public sealed partial class ContainerdRuntime
{
    /// <summary>Statuses of exited containers never change again: kept until the container is removed.</summary>
    private readonly ConcurrentDictionary<string, ContainerStatus> _exited = new(StringComparer.Ordinal);

    public async Task<RuntimePod?> GetPodAsync(string podUid, CancellationToken ct)
    {
        var view = await ObserveAsync(podUid, ct);
        return view.Current is null ? null : await SnapshotAsync(view, ct);
    }

    public async Task<IReadOnlyList<RuntimePod>> ListPodsAsync(CancellationToken ct)
    {
        var request = new ListPodSandboxRequest { Filter = new PodSandboxFilter() };
        request.Filter.LabelSelector[CriLabels.Managed] = "true";
        var sandboxes = await _cri.Runtime.ListPodSandboxAsync(request, cancellationToken: ct);
        var pods = new List<RuntimePod>();
        foreach (var uid in sandboxes.Items.Select(s => s.Metadata.Uid).Distinct(StringComparer.Ordinal))
        {
            if (await GetPodAsync(uid, ct) is { } pod)
            {
                pods.Add(pod);
            }
        }

        return pods;
    }

    /// <summary>Every sandbox and container CRI holds for one pod, newest first.</summary>
    private async Task<PodView> ObserveAsync(string uid, CancellationToken ct)
    {
        var sandboxRequest = new ListPodSandboxRequest { Filter = new PodSandboxFilter() };
        sandboxRequest.Filter.LabelSelector[CriLabels.PodUid] = uid;
        sandboxRequest.Filter.LabelSelector[CriLabels.Managed] = "true";
        var containerRequest = new ListContainersRequest { Filter = new ContainerFilter() };
        containerRequest.Filter.LabelSelector[CriLabels.PodUid] = uid;
        containerRequest.Filter.LabelSelector[CriLabels.Managed] = "true";
        var sandboxes = _cri.Runtime.ListPodSandboxAsync(sandboxRequest, cancellationToken: ct);
        var containers = _cri.Runtime.ListContainersAsync(containerRequest, cancellationToken: ct);
        var groups = (await containers).Containers
            .GroupBy(c => PodState.Key(c.Labels.TryGetValue(CriLabels.InitContainer, out var i) && i == "true", c.Metadata.Name))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Metadata.Attempt).ThenByDescending(c => c.CreatedAt).ToList(), StringComparer.Ordinal);
        return new PodView(uid, [.. (await sandboxes).Items.OrderByDescending(s => s.CreatedAt)], groups);
    }

    private async Task<RuntimePod> SnapshotAsync(PodView view, CancellationToken ct)
    {
        var sandbox = view.Current!;
        var st = State(view.Uid);
        var ip = await SandboxIpAsync(st, sandbox, ct);
        var result = new List<RuntimeContainer>();
        var pod = st.Pod;
        var names = pod is null
            ? view.Containers.Keys.ToList()
            : [.. (pod.Spec.InitContainers ?? []).Select(c => PodState.Key(true, c.Name)), .. (pod.Spec.Containers ?? []).Select(c => PodState.Key(false, c.Name))];
        foreach (var key in names)
        {
            var init = key.StartsWith("init/", StringComparison.Ordinal);
            var name = key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
            var specImage = pod is null ? null : (init ? pod.Spec.InitContainers : pod.Spec.Containers)?.FirstOrDefault(c => c.Name == name)?.Image;
            view.Containers.TryGetValue(key, out var instances);
            var latest = instances is { Count: > 0 } ? await ToRuntimeAsync(instances[0], init, specImage, ct) : null;
            var previous = instances is { Count: > 1 } ? await ToRuntimeAsync(instances[1], init, specImage, ct) : null;
            var waiting = st.Waiting.TryGetValue(key, out var w) ? w : default((string Reason, string Message)?);
            if (latest is null)
            {
                if (waiting is { } only)
                {
                    result.Add(new RuntimeContainer(name, "", ImageReference.Normalize(specImage), "", ContainerState.Waiting, 0, Reason: only.Reason, IsInit: init, Message: only.Message));
                }

                continue;
            }

            if (waiting is { } wt && latest.State != ContainerState.Running)
            {
                // Waiting to be restarted (CrashLoopBackOff) or for a new image: the last run is lastState.
                result.Add(latest with
                {
                    State = ContainerState.Waiting,
                    Reason = wt.Reason,
                    Message = wt.Message,
                    StartedAt = null,
                    FinishedAt = null,
                    ExitCode = null,
                    Previous = latest.State == ContainerState.Exited ? latest with { Previous = null } : previous,
                });
                continue;
            }

            result.Add(latest with { Previous = previous });
        }

        return new RuntimePod(view.Uid, sandbox.Metadata.Namespace, sandbox.Metadata.Name, sandbox.State == PodSandboxState.SandboxReady, ip,
            Seconds(view.Sandboxes[^1].CreatedAt), result)
        {
            StoppedAt = st.StoppedAt,
        };
    }

    private async Task<string?> SandboxIpAsync(PodState st, PodSandbox sandbox, CancellationToken ct)
    {
        if (st.Ips.TryGetValue(sandbox.Id, out var ip))
        {
            return ip.Length > 0 ? ip : null;
        }

        try
        {
            var status = await _cri.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct);
            ip = status.Status.Network?.Ip ?? "";
            st.Ips[sandbox.Id] = ip;
            return ip.Length > 0 ? ip : null;
        }
        catch (RpcException e) when (CriClient.IsNotFound(e))
        {
            return null;
        }
    }

    private async Task<RuntimeContainer> ToRuntimeAsync(Container c, bool init, string? specImage, CancellationToken ct)
    {
        var status = await StatusAsync(c.Id, ct);
        var image = ImageReference.Normalize(specImage ?? (c.Annotations.TryGetValue(CriLabels.Image, out var a) ? a : c.Image.Image));
        var imageId = status?.ImageRef is { Length: > 0 } r ? r : c.ImageRef;
        var restarts = (int)c.Metadata.Attempt;
        var state = status?.State ?? c.State;
        if (status is null && state is CriState.ContainerRunning or CriState.ContainerExited)
        {
            // Removed between the list and the status call (a pod being torn down): what the list said, without times.
            return new RuntimeContainer(c.Metadata.Name, ContainerId(c.Id), image, imageId,
                state == CriState.ContainerRunning ? ContainerState.Running : ContainerState.Exited, restarts,
                StartedAt: state == CriState.ContainerRunning ? Seconds(c.CreatedAt) : null, IsInit: init);
        }

        return state switch
        {
            CriState.ContainerRunning => new RuntimeContainer(c.Metadata.Name, ContainerId(c.Id), image, imageId, ContainerState.Running, restarts,
                StartedAt: Seconds(status!.StartedAt), IsInit: init),
            CriState.ContainerExited => new RuntimeContainer(c.Metadata.Name, ContainerId(c.Id), image, imageId, ContainerState.Exited, restarts,
                StartedAt: status!.StartedAt > 0 ? Seconds(status.StartedAt) : null,
                FinishedAt: Seconds(status.FinishedAt),
                ExitCode: status.ExitCode,
                Reason: status.Reason is { Length: > 0 } reason ? reason : status.ExitCode == 0 ? "Completed" : "Error",
                IsInit: init,
                Message: TerminationMessage(status)),
            _ => new RuntimeContainer(c.Metadata.Name, ContainerId(c.Id), image, imageId, ContainerState.Waiting, restarts, Reason: "ContainerCreating", IsInit: init),
        };
    }

    private async Task<ContainerStatus?> StatusAsync(string id, CancellationToken ct)
    {
        if (_exited.TryGetValue(id, out var cached))
        {
            return cached;
        }

        try
        {
            var status = (await _cri.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id }, cancellationToken: ct)).Status;
            if (status.State == CriState.ContainerExited)
            {
                _exited[id] = status;
            }

            return status;
        }
        catch (RpcException e) when (CriClient.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>terminationMessagePath's content (at most 4 KiB), or with FallbackToLogsOnError the log's tail after a failure.</summary>
    private static string? TerminationMessage(ContainerStatus status)
    {
        if (status.Annotations.TryGetValue(CriLabels.TerminationLogFile, out var file) && File.Exists(file))
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length > 0)
            {
                return System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
            }
        }

        if (status.ExitCode != 0 && status.Annotations.TryGetValue(CriLabels.TerminationMessagePolicy, out var policy) && policy == "FallbackToLogsOnError"
            && File.Exists(status.LogPath))
        {
            var lines = File.ReadAllLines(status.LogPath).TakeLast(80).Select(l => l.Split(' ', 4) is { Length: 4 } f ? f[3] : l);
            var text = string.Join('\n', lines);
            return text.Length > 2048 ? text[^2048..] : text;
        }

        return string.IsNullOrEmpty(status.Message) ? null : status.Message;
    }

    /// <summary>The PLEG: lists sandboxes and containers every relist period and wakes the workers of pods whose state changed.</summary>
    private async Task RelistLoopAsync(CancellationToken ct)
    {
        var seen = new Dictionary<string, (string Uid, int State)>(StringComparer.Ordinal);
        var containerRequest = new ListContainersRequest { Filter = new ContainerFilter() };
        containerRequest.Filter.LabelSelector[CriLabels.Managed] = "true";
        var sandboxRequest = new ListPodSandboxRequest { Filter = new PodSandboxFilter() };
        sandboxRequest.Filter.LabelSelector[CriLabels.Managed] = "true";
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RelistInterval, _time, ct);
                var now = new Dictionary<string, (string Uid, int State)>(StringComparer.Ordinal);
                foreach (var c in (await _cri.Runtime.ListContainersAsync(containerRequest, cancellationToken: ct)).Containers)
                {
                    now[c.Id] = (c.Labels.TryGetValue(CriLabels.PodUid, out var u) ? u : "", (int)c.State);
                }

                foreach (var s in (await _cri.Runtime.ListPodSandboxAsync(sandboxRequest, cancellationToken: ct)).Items)
                {
                    now["sandbox/" + s.Id] = (s.Metadata.Uid, 10 + (int)s.State);
                }

                var changed = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (id, v) in now)
                {
                    if (!seen.TryGetValue(id, out var old) || old.State != v.State)
                    {
                        changed.Add(v.Uid);
                    }
                }

                foreach (var (id, v) in seen)
                {
                    if (!now.ContainsKey(id))
                    {
                        changed.Add(v.Uid);
                        _exited.TryRemove(id, out _);
                    }
                }

                seen = now;
                foreach (var uid in changed)
                {
                    Changed(uid);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException)
            {
                LogRelistFailed(_log, e.Message);
            }
        }
    }

    private static string ContainerId(string id) => "containerd://" + id;

    /// <summary>CRI nanoseconds → a UTC time with second precision (as Kubernetes serializes it, so resyncs compare equal).</summary>
    private static DateTime Seconds(long unixNanos) => DateTime.UnixEpoch.AddSeconds(unixNanos / 1_000_000_000);

    /// <summary>One pod as CRI holds it: sandboxes newest first, containers grouped by (init, name), newest attempt first.</summary>
    private sealed record PodView(string Uid, List<PodSandbox> Sandboxes, Dictionary<string, List<Container>> Containers)
    {
        public PodSandbox? Current => Sandboxes.Count > 0 ? Sandboxes[0] : null;

        public Container? Latest(bool init, string name) =>
            Containers.TryGetValue(PodState.Key(init, name), out var list) && list.Count > 0 ? list[0] : null;
    }

    [LoggerMessage(LogLevel.Warning, "Listing containers failed: {Reason}")]
    private static partial void LogRelistFailed(ILogger log, string reason);
}
