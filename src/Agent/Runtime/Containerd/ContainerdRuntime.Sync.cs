using Grpc.Core;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Pods;
using Microsoft.Extensions.Logging;
using CriState = KubeWeb.Agent.Cri.V1.ContainerState;

namespace KubeWeb.Agent.Runtime.Containerd;

public sealed partial class ContainerdRuntime
{
    /// <summary>
    /// One pass of the kubelet's SyncPod: ensure a ready sandbox, then run the first init container
    /// that has not succeeded (waiting for it), then every app container that should run. Returns
    /// once the needed containers are started; exits are noticed by the relist.
    /// </summary>
    public async Task SyncPodAsync(V1Pod pod, CancellationToken ct)
    {
        var st = State(pod.Metadata.Uid);
        st.Pod = pod;
        await st.Gate.WaitAsync(ct);
        try
        {
            if (st.Killing)
            {
                return;
            }

            var view = await ObserveAsync(st.Uid, ct);
            if (await PodDoneAsync(pod, view, ct))
            {
                await StopFinishedSandboxAsync(st, pod, view, ct);
                return;
            }

            var sandbox = view.Current;
            if (sandbox is null || sandbox.State != PodSandboxState.SandboxReady)
            {
                var attempt = sandbox is null ? 0u : sandbox.Metadata.Attempt + 1;
                sandbox = await RunSandboxAsync(st, pod, attempt, ct);
                view = view with { Sandboxes = [sandbox, .. view.Sandboxes] };
            }

            var sandboxConfig = SandboxConfigFactory.Build(pod, _options, sandbox.Metadata.Attempt);
            var ip = await SandboxIpAsync(st, sandbox, ct);
            var folders = Folders(st.Uid);
            if (pod.Spec.HostNetwork != true && !File.Exists(folders.HostsFile))
            {
                await WriteHostsFileAsync(pod, folders, ip, ct);
            }

            if (PodVolumes.Any(pod) && (st.VolumesSyncedAt is null || st.VolumeErrors.Count > 0))
            {
                await SyncVolumesAsync(st, pod, folders, ct);
            }

            if (st.VolumeErrors.Count > 0 && !PodHasStarted(view))
            {
                // As the kubelet: containers wait (ContainerCreating) until every volume is set up; retried.
                ReportMountFailures(st, pod);
                WakeAt(st, _time.GetUtcNow() + ConfigRetry);
                return;
            }

            var target = new Target(st, pod, sandbox, sandboxConfig, ip, folders);
            if (!await SyncInitContainersAsync(target, view, ct))
            {
                return;
            }

            foreach (var spec in pod.Spec.Containers ?? [])
            {
                var latest = view.Latest(false, spec.Name);
                if (latest is null || latest.PodSandboxId != sandbox.Id)
                {
                    await StartAsync(target, spec, false, latest is null ? 0 : latest.Metadata.Attempt + 1, ct);
                    continue;
                }

                var status = await StatusAsync(latest.Id, ct);
                if (status is null)
                {
                    continue;
                }

                var imageChanged = latest.Annotations.TryGetValue(CriLabels.Image, out var image) && image != spec.Image;
                if (status.State == CriState.ContainerRunning)
                {
                    if (imageChanged)
                    {
                        ContainerEvent(pod, false, spec.Name, "Normal", "Killing", $"Container {spec.Name} definition changed, will be restarted");
                        // As the kubelet: a changed image kills the container and starts the new one.
                        await _cri.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = latest.Id, Timeout = pod.Spec.TerminationGracePeriodSeconds ?? 30 }, cancellationToken: ct);
                        _exited.TryRemove(latest.Id, out _);
                        await StartAsync(target, spec, false, latest.Metadata.Attempt + 1, ct);
                    }

                    continue;
                }

                if (imageChanged || ShouldRestart(pod, status))
                {
                    await RestartAsync(target, spec, false, latest, status, ct);
                }
            }
        }
        finally
        {
            st.Gate.Release();
        }
    }

    private static bool ShouldRestart(V1Pod pod, ContainerStatus status) => pod.Spec.RestartPolicy switch
    {
        "Never" => false,
        "OnFailure" => status.State != CriState.ContainerExited || status.ExitCode != 0,
        _ => true,
    };

    /// <summary>Nothing will run again: restartPolicy Never after a failed init container or once all containers exited; OnFailure once all succeeded.</summary>
    private async Task<bool> PodDoneAsync(V1Pod pod, PodView view, CancellationToken ct)
    {
        var policy = pod.Spec.RestartPolicy ?? "Always";
        if (policy == "Always" || view.Current is null)
        {
            return false;
        }

        if (policy == "Never")
        {
            foreach (var init in (pod.Spec.InitContainers ?? []).Where(c => !c.IsSidecar()))
            {
                var status = view.Latest(true, init.Name) is { } c ? await StatusAsync(c.Id, ct) : null;
                if (status is not { State: CriState.ContainerExited })
                {
                    break;
                }

                if (status.ExitCode != 0)
                {
                    return true;
                }
            }
        }

        var containers = pod.Spec.Containers ?? [];
        if (containers.Count == 0)
        {
            return false;
        }

        foreach (var spec in containers)
        {
            var status = view.Latest(false, spec.Name) is { } c ? await StatusAsync(c.Id, ct) : null;
            if (status is not { State: CriState.ContainerExited } || (policy == "OnFailure" && status.ExitCode != 0))
            {
                return false;
            }
        }

        return true;
    }

    private async Task StopFinishedSandboxAsync(PodState st, V1Pod pod, PodView view, CancellationToken ct)
    {
        if (view.Current is { State: PodSandboxState.SandboxReady } sandbox)
        {
            // The app containers are done: the sidecars are stopped (gracefully, last first), their exits ignored.
            await StopSidecarsAsync(st, pod, view, _time.GetUtcNow() + TimeSpan.FromSeconds(pod.Spec.TerminationGracePeriodSeconds ?? 30), ct);
            // A finished pod keeps no IP or pause process, as the kubelet kills terminal pods' sandboxes.
            await _cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken: ct);
            Changed(view.Uid);
        }
    }

    private async Task<PodSandbox> RunSandboxAsync(PodState st, V1Pod pod, uint attempt, CancellationToken ct)
    {
        var config = SandboxConfigFactory.Build(pod, _options, attempt);
        Directory.CreateDirectory(config.LogDirectory);
        var response = await _cri.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, cancellationToken: ct);
        var status = await _cri.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = response.PodSandboxId }, cancellationToken: ct);
        var ip = status.Status.Network?.Ip ?? "";
        st.Ips[response.PodSandboxId] = ip;
        await WriteHostsFileAsync(pod, Folders(st.Uid), ip, ct);
        LogSandbox(_log, pod.Metadata.NamespaceProperty, pod.Metadata.Name, response.PodSandboxId[..12], ip);
        return new PodSandbox
        {
            Id = response.PodSandboxId,
            Metadata = config.Metadata,
            State = PodSandboxState.SandboxReady,
            CreatedAt = status.Status.CreatedAt,
        };
    }

    private static async Task WriteHostsFileAsync(V1Pod pod, PodFolders folders, string? ip, CancellationToken ct)
    {
        Directory.CreateDirectory(folders.Root);
        var tmp = folders.HostsFile + ".tmp";
        await File.WriteAllTextAsync(tmp, SandboxConfigFactory.HostsFile(pod, ip), ct);
        File.Move(tmp, folders.HostsFile, overwrite: true);
    }

    private PodFolders Folders(string uid) => new(Path.Combine(_options.PodsDir, uid));

    /// <summary>Restarts an exited container unless it is in CrashLoopBackOff; a run of 10 minutes resets the back-off.</summary>
    private async Task RestartAsync(Target t, V1Container spec, bool init, Container latest, ContainerStatus status, CancellationToken ct)
    {
        var key = PodState.Key(init, spec.Name);
        var now = _time.GetUtcNow();
        if (status.StartedAt > 0 && status.FinishedAt > 0 && TimeSpan.FromTicks((status.FinishedAt - status.StartedAt) / 100) >= _options.BackoffReset)
        {
            t.State.Backoff.Reset(key);
        }

        if (t.State.Backoff.IsBackedOff(key, now, out var until, out var delay))
        {
            var pod = t.Pod.Metadata;
            t.State.Waiting[key] = ("CrashLoopBackOff",
                $"back-off {Backoff.Format(delay)} restarting failed container={spec.Name} pod={pod.Name}_{pod.NamespaceProperty}({pod.Uid})");
            WakeAt(t.State, until);
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "BackOff", $"Back-off restarting failed container {spec.Name} in pod {PodDescription(t.Pod)}");
            return;
        }

        t.State.Backoff.Next(key, now);
        await StartAsync(t, spec, init, latest.Metadata.Attempt + 1, ct);
        await PruneAsync(t.State.Uid, init, spec.Name, latest.Metadata.Attempt, ct);
    }

    /// <summary>Keeps the newest exited instance (for lastState and logs --previous) and removes older ones.</summary>
    private async Task PruneAsync(string uid, bool init, string name, uint keepFrom, CancellationToken ct)
    {
        var view = await ObserveAsync(uid, ct);
        if (view.Containers.TryGetValue(PodState.Key(init, name), out var list))
        {
            foreach (var old in list.Where(c => c.Metadata.Attempt < keepFrom && c.State != CriState.ContainerRunning))
            {
                await RemoveContainerAsync(old.Id, ct);
            }
        }
    }

    private async Task RemoveContainerAsync(string id, CancellationToken ct)
    {
        try
        {
            await _cri.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id }, cancellationToken: ct);
        }
        catch (RpcException e) when (CriClient.IsNotFound(e))
        {
        }

        _exited.TryRemove(id, out _);
    }

    /// <summary>Image, create, start; a failure becomes the container's waiting reason (and a back-off) rather than an exception.</summary>
    private async Task<bool> StartAsync(Target t, V1Container spec, bool init, uint attempt, CancellationToken ct)
    {
        var key = PodState.Key(init, spec.Name);
        var imageRef = await EnsureImageAsync(t, spec, init, key, ct);
        if (imageRef is null)
        {
            return false;
        }

        ContainerConfig config;
        try
        {
            var (configMaps, secrets) = ContainerConfigFactory.EnvReferences(spec);
            var objects = await PodObjects.FetchAsync(Objects, t.Pod, configMaps, secrets, ct);
            config = ContainerConfigFactory.Build(
                t.Pod, spec, init, attempt, imageRef, t.Ip, t.Folders, t.Folders.TerminationLog(spec.Name, attempt), objects, t.State.VolumeErrors, t.State.Claims);
        }
        catch (ContainerConfigFactory.ConfigException e)
        {
            t.State.Waiting[key] = ("CreateContainerConfigError", e.Message);
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", "Error: " + e.Message);
            // As the kubelet, retry: the missing ConfigMap or Secret may appear.
            WakeAt(t.State, _time.GetUtcNow() + ConfigRetry);
            return false;
        }

        string id;
        try
        {
            id = (await _cri.Runtime.CreateContainerAsync(new CreateContainerRequest
            {
                PodSandboxId = t.Sandbox.Id,
                Config = config,
                SandboxConfig = t.SandboxConfig,
            }, cancellationToken: ct)).ContainerId;
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            t.State.Waiting[key] = ("CreateContainerError", e.Status.Detail);
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", "Error: " + e.Status.Detail);
            WakeAt(t.State, t.State.Backoff.Next(key, _time.GetUtcNow()));
            return false;
        }

        ContainerEvent(t.Pod, init, spec.Name, "Normal", "Created", "Created container: " + spec.Name);
        try
        {
            await _cri.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id }, cancellationToken: ct);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            t.State.Waiting[key] = ("RunContainerError", e.Status.Detail);
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", "Error: " + e.Status.Detail);
            WakeAt(t.State, t.State.Backoff.Next(key, _time.GetUtcNow()));
            return false;
        }

        t.State.Waiting.TryRemove(key, out _);
        ContainerEvent(t.Pod, init, spec.Name, "Normal", "Started", "Started container " + spec.Name);
        LogStarted(_log, t.Pod.Metadata.NamespaceProperty, t.Pod.Metadata.Name, spec.Name, attempt);
        return await PostStartAsync(t, spec, init, id, ct);
    }

    /// <summary>imagePullPolicy through ImageStatus and PullImage; returns the image id, or null with a waiting reason set.</summary>
    private async Task<string?> EnsureImageAsync(Target t, V1Container spec, bool init, string key, CancellationToken ct)
    {
        var image = ImageReference.Normalize(spec.Image);
        var policy = spec.ImagePullPolicy is { Length: > 0 } p ? p : image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent";
        if (policy != "Always")
        {
            var status = await _cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = image } }, cancellationToken: ct);
            if (status.Image is not null)
            {
                ContainerEvent(t.Pod, init, spec.Name, "Normal", "Pulled", $"Container image \"{spec.Image}\" already present on machine");
                return status.Image.Id;
            }

            if (policy == "Never")
            {
                var message = $"Container image \"{spec.Image}\" is not present with pull policy of Never";
                t.State.Waiting[key] = ("ErrImageNeverPull", message);
                ContainerEvent(t.Pod, init, spec.Name, "Warning", "ErrImageNeverPull", message);
                ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", "Error: ErrImageNeverPull");
                return null;
            }
        }

        var pullKey = "pull/" + image;
        var now = _time.GetUtcNow();
        if (t.State.Backoff.IsBackedOff(pullKey, now, out var until, out _))
        {
            t.State.Waiting[key] = ("ImagePullBackOff", $"Back-off pulling image \"{spec.Image}\"");
            WakeAt(t.State, until);
            ContainerEvent(t.Pod, init, spec.Name, "Normal", "BackOff", $"Back-off pulling image \"{spec.Image}\"");
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", "Error: ImagePullBackOff");
            return null;
        }

        ContainerEvent(t.Pod, init, spec.Name, "Normal", "Pulling", $"Pulling image \"{spec.Image}\"");
        var started = _time.GetTimestamp();
        try
        {
            var pulled = await _cri.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = image }, SandboxConfig = t.SandboxConfig }, cancellationToken: ct);
            t.State.Backoff.Reset(pullKey);
            var took = GoDuration(_time.GetElapsedTime(started));
            var size = (await _cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = pulled.ImageRef } }, cancellationToken: ct)).Image?.Size ?? 0;
            ContainerEvent(t.Pod, init, spec.Name, "Normal", "Pulled",
                $"Successfully pulled image \"{spec.Image}\" in {took} ({took} including waiting). Image size: {size} bytes.");
            return pulled.ImageRef;
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", $"Failed to pull image \"{spec.Image}\": {e.Status.Detail}");
            ContainerEvent(t.Pod, init, spec.Name, "Warning", "Failed", "Error: ErrImagePull");
            t.State.Waiting[key] = ("ErrImagePull", e.Status.Detail);
            WakeAt(t.State, t.State.Backoff.Next(pullKey, now));
            return null;
        }
    }

    private static readonly TimeSpan ConfigRetry = TimeSpan.FromSeconds(5);

    private async Task SyncVolumesAsync(PodState st, k8s.Models.V1Pod pod, PodFolders folders, CancellationToken ct)
    {
        var hadErrors = st.VolumeErrors.Count > 0;
        var setup = await PodVolumes.SyncAsync(Objects, _tokens, pod, folders, ct);
        st.VolumeErrors = setup.Errors;
        st.Claims = setup.Claims;
        st.VolumesSyncedAt = _time.GetUtcNow();
        if (hadErrors && st.VolumeErrors.Count == 0)
        {
            Changed(st.Uid);
        }
    }

    /// <summary>True once any container of the pod's current sandbox was created: later volume errors (a deleted ConfigMap) do not stop it.</summary>
    private static bool PodHasStarted(PodView view) =>
        view.Current is { } sandbox && view.Containers.Values.Any(list => list.Any(c => c.PodSandboxId == sandbox.Id));

    /// <summary>A Warning FailedMount event per failing volume, repeated at most once a minute while the message stays the same.</summary>
    private void ReportMountFailures(PodState st, V1Pod pod)
    {
        var message = string.Join("\n", st.VolumeErrors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value));
        var now = _time.GetUtcNow();
        if (st.LastMountEvent is { } last && last.Message == message && now - last.At < TimeSpan.FromMinutes(1))
        {
            return;
        }

        st.LastMountEvent = (message, now);
        foreach (var (_, error) in st.VolumeErrors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Events.Record(pod, "Warning", "FailedMount", error);
        }
    }

    /// <summary>Rewrites running pods' configMap/secret/downwardAPI volumes every <see cref="ContainerdRuntimeOptions.VolumeSyncInterval"/>.</summary>
    private async Task VolumeLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct);
                var now = _time.GetUtcNow();
                foreach (var st in _pods.Values)
                {
                    if (st.Pod is not { } pod || st.Killing || st.VolumesSyncedAt is not { } at || now - at < _options.VolumeSyncInterval || !PodVolumes.Any(pod))
                    {
                        continue;
                    }

                    await st.Gate.WaitAsync(ct);
                    try
                    {
                        if (!st.Killing && Directory.Exists(Folders(st.Uid).Root))
                        {
                            await SyncVolumesAsync(st, st.Pod ?? pod, Folders(st.Uid), ct);
                        }
                    }
                    finally
                    {
                        st.Gate.Release();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogVolumeSyncFailed(_log, e.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Syncing pod volumes failed: {Reason}")]
    private static partial void LogVolumeSyncFailed(ILogger log, string reason);

    /// <summary>What one sync pass works against.</summary>
    private sealed record Target(PodState State, V1Pod Pod, PodSandbox Sandbox, PodSandboxConfig SandboxConfig, string? Ip, PodFolders Folders);

    [LoggerMessage(LogLevel.Information, "Pod {Namespace}/{Name}: sandbox {Sandbox} ready, IP {Ip}")]
    private static partial void LogSandbox(ILogger log, string? @namespace, string name, string sandbox, string ip);

    [LoggerMessage(LogLevel.Debug, "Pod {Namespace}/{Name}: started container {Container} (attempt {Attempt})")]
    private static partial void LogStarted(ILogger log, string? @namespace, string name, string container, uint attempt);
}
