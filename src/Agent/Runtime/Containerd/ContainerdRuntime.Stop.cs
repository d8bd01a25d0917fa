using Grpc.Core;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Pods;
using Microsoft.Extensions.Logging;
using CriState = KubeWeb.Agent.Cri.V1.ContainerState;

namespace KubeWeb.Agent.Runtime.Containerd;

public sealed partial class ContainerdRuntime
{
    public Task KillPodAsync(string podUid, TimeSpan gracePeriod, CancellationToken ct)
    {
        var st = State(podUid);
        var deadline = _time.GetUtcNow() + gracePeriod;
        Task stop;
        lock (st)
        {
            if (st.StoppedAt is not null)
            {
                return Task.CompletedTask;
            }

            if (st.Stop is { } running && running.Deadline <= deadline)
            {
                return running.Task.WaitAsync(ct);
            }

            // First stop, or a shorter grace period than the one in progress: StopContainer again with it.
            st.Killing = true;
            st.Killed.Cancel();
            stop = StopAsync(st, gracePeriod);
            st.Stop = (deadline, stop);
        }

        return stop.WaitAsync(ct);
    }

    /// <summary>SIGTERM every container with the grace period (containerd sends SIGKILL after it), then stop the sandboxes.</summary>
    private async Task StopAsync(PodState st, TimeSpan grace)
    {
        var ct = _stopping.Token;
        // Let a sync pass in flight finish; Killing keeps later ones from starting anything.
        await st.Gate.WaitAsync(ct);
        st.Gate.Release();
        var view = await ObserveAsync(st.Uid, ct);
        var pod = st.Pod;
        var deadline = _time.GetUtcNow() + grace;
        var sidecars = pod is null ? [] : Sidecars.Of(pod.Spec).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        // As the kubelet with sidecars: the app (and any running init) containers first, all at once...
        await Task.WhenAll(view.Containers.Values.SelectMany(l => l)
            .Where(c => c.State is CriState.ContainerRunning or CriState.ContainerCreated or CriState.ContainerUnknown)
            .Where(c => !(IsInit(c) && sidecars.Contains(c.Metadata.Name)))
            .Select(async c =>
            {
                var init = IsInit(c);
                var spec = (init ? pod?.Spec.InitContainers : pod?.Spec.Containers)?.FirstOrDefault(s => s.Name == c.Metadata.Name);
                if (pod is not null && c.State == CriState.ContainerRunning)
                {
                    ContainerEvent(pod, init, c.Metadata.Name, "Normal", "Killing", "Stopping container " + c.Metadata.Name);
                }

                await StopContainerAsync(st, pod, init ? null : spec, c.Id, grace, ct);
            }));
        if (pod is not null)
        {
            // ...then the sidecars, in reverse order, with what is left of the grace period.
            await StopSidecarsAsync(st, pod, view, grace > TimeSpan.Zero ? deadline : null, ct);
        }

        foreach (var sandbox in view.Sandboxes)
        {
            try
            {
                await _cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct);
            }
            catch (RpcException e) when (CriClient.IsNotFound(e))
            {
            }
        }

        lock (st)
        {
            var now = _time.GetUtcNow().UtcDateTime;
            st.StoppedAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        }

        Changed(st.Uid);
    }

    /// <summary>
    /// Stops the pod's running sidecars one by one, last first, each with what is left until
    /// <paramref name="deadline"/> (at least two seconds; none without a deadline, a forced stop).
    /// </summary>
    private async Task StopSidecarsAsync(PodState st, V1Pod pod, PodView view, DateTimeOffset? deadline, CancellationToken ct)
    {
        foreach (var spec in Sidecars.Of(pod.Spec).Reverse())
        {
            foreach (var c in view.Containers.TryGetValue(PodState.Key(true, spec.Name), out var list) ? list : [])
            {
                if (c.State is not (CriState.ContainerRunning or CriState.ContainerCreated or CriState.ContainerUnknown))
                {
                    continue;
                }

                if (c.State == CriState.ContainerRunning)
                {
                    ContainerEvent(pod, true, spec.Name, "Normal", "Killing", "Stopping container " + spec.Name);
                }

                var left = deadline is { } d ? d - _time.GetUtcNow() : TimeSpan.Zero;
                await StopContainerAsync(st, pod, spec, c.Id, deadline is null ? TimeSpan.Zero : left < MinimumGrace ? MinimumGrace : left, ct);
            }
        }
    }

    private static bool IsInit(Container c) => c.Labels.TryGetValue(CriLabels.InitContainer, out var i) && i == "true";

    /// <summary>
    /// Removes the pod's sandboxes (and so its containers and IP), log folder, pod folder and pod
    /// cgroups. Exclusive with the pod's sync passes: it waits for one in flight, and one that begins
    /// meanwhile finds the pod being torn down and creates nothing (no sandbox, no volume mounted into
    /// a folder being deleted).
    /// </summary>
    public async Task RemovePodAsync(string podUid, CancellationToken ct)
    {
        var st = State(podUid);
        await st.Gate.WaitAsync(ct);
        try
        {
            st.Killing = true;
            await RemoveLockedAsync(st, ct);
        }
        finally
        {
            // Forgotten only once everything is gone: until then a sync finds this state and its Killing.
            _pods.TryRemove(new KeyValuePair<string, PodState>(podUid, st));
            st.Gate.Release();
        }

        Changed(podUid);
    }

    private async Task RemoveLockedAsync(PodState st, CancellationToken ct)
    {
        var podUid = st.Uid;
        try
        {
            var view = await ObserveAsync(podUid, ct);
            foreach (var sandbox in view.Sandboxes)
            {
                try
                {
                    await _cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct);
                    await _cri.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct);
                }
                catch (RpcException e) when (CriClient.IsNotFound(e))
                {
                }
            }

            foreach (var c in view.Containers.Values.SelectMany(l => l))
            {
                _exited.TryRemove(c.Id, out _);
                _preStopRan.TryRemove(c.Id, out _);
            }
        }
        finally
        {
            // Local and quick, so done even when the agent stops mid-removal: no tmpfs is left mounted
            // in a pod folder that no sandbox leads back to.
            RemoveLocal(st);
        }
    }

    private void RemoveLocal(PodState st)
    {
        var podUid = st.Uid;
        st.Timer?.Dispose();
        _tokens.Forget(podUid);

        try
        {
            foreach (var dir in Directory.Exists(_options.LogsDir) ? Directory.GetDirectories(_options.LogsDir, "*_" + podUid) : [])
            {
                Directory.Delete(dir, recursive: true);
            }

            var folder = Path.Combine(_options.PodsDir, podUid);
            // tmpfs volumes first: a recursive delete would empty them, then fail on the mount point.
            Tmpfs.UnmountUnder(folder);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Removed by a concurrent removal of the same pod.
        }

        PodCgroups.Remove(_options.CgroupFsRoot, SandboxConfigFactory.CgroupParent(_options, podUid), _log);
    }
}

/// <summary>
/// The pod cgroup folders runc leaves behind (<c>/kubeweb/pod&lt;uid&gt;</c> in every hierarchy):
/// removed bottom-up with rmdir, which is all cgroupfs allows.
/// </summary>
internal static partial class PodCgroups
{
    public static void Remove(string cgroupFsRoot, string cgroupPath, ILogger log)
    {
        if (!Directory.Exists(cgroupFsRoot))
        {
            return;
        }

        var relative = cgroupPath.TrimStart('/');
        foreach (var hierarchy in Directory.EnumerateDirectories(cgroupFsRoot))
        {
            var dir = Path.Combine(hierarchy, relative);
            if (Directory.Exists(dir))
            {
                RemoveTree(dir, log);
            }
        }
    }

    /// <summary>Every hierarchy's folder for <paramref name="cgroupPath"/> that still exists.</summary>
    public static IReadOnlyList<string> Existing(string cgroupFsRoot, string cgroupPath) =>
        Directory.Exists(cgroupFsRoot)
            ? [.. Directory.EnumerateDirectories(cgroupFsRoot).Select(h => Path.Combine(h, cgroupPath.TrimStart('/'))).Where(Directory.Exists)]
            : [];

    private static void RemoveTree(string dir, ILogger log)
    {
        foreach (var child in Directory.EnumerateDirectories(dir))
        {
            RemoveTree(child, log);
        }

        try
        {
            Directory.Delete(dir, recursive: false);
        }
        catch (IOException e)
        {
            LogCgroupBusy(log, dir, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not remove cgroup {Path}: {Reason}")]
    private static partial void LogCgroupBusy(ILogger log, string path, string reason);
}
