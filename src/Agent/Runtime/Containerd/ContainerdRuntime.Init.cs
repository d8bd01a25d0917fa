using k8s.Models;
using KubeWeb.Agent.Pods;
using CriState = KubeWeb.Agent.Cri.V1.ContainerState;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>Init containers and sidecars (init containers with restartPolicy Always) within a sync pass.</summary>
public sealed partial class ContainerdRuntime
{
    /// <summary>
    /// Init containers in order: a regular one must have succeeded, a sidecar must have started (its
    /// startup probe passed) before the next one runs. Sidecars that exited are restarted (with
    /// back-off) whatever the pod's restartPolicy. True once the app containers may run.
    /// </summary>
    private async Task<bool> SyncInitContainersAsync(Target target, PodView view, CancellationToken ct)
    {
        var pod = target.Pod;
        var sandbox = target.Sandbox;
        // Once an app container ran in this sandbox initialisation is over: only sidecars are kept running.
        var initialized = (pod.Spec.Containers ?? []).Any(c => view.Latest(false, c.Name) is { } l && l.PodSandboxId == sandbox.Id);
        foreach (var spec in pod.Spec.InitContainers ?? [])
        {
            var sidecar = spec.IsSidecar();
            var latest = view.Latest(true, spec.Name);
            if (latest is null || latest.PodSandboxId != sandbox.Id)
            {
                if (initialized && !sidecar)
                {
                    continue;
                }

                var started = await StartAsync(target, spec, true, latest is null ? 0 : latest.Metadata.Attempt + 1, ct);
                if (!initialized && (!sidecar || !started || (spec.StartupProbe is not null && _startup is not null)))
                {
                    return false;
                }

                continue;
            }

            var status = await StatusAsync(latest.Id, ct);
            if (sidecar)
            {
                if (status is null || status.State is CriState.ContainerCreated or CriState.ContainerUnknown)
                {
                    if (!initialized)
                    {
                        return false;
                    }

                    continue;
                }

                if (status.State == CriState.ContainerRunning)
                {
                    if (latest.Annotations.TryGetValue(CriLabels.Image, out var image) && image != spec.Image)
                    {
                        // As for an app container: a changed image kills the sidecar and starts the new one.
                        ContainerEvent(pod, true, spec.Name, "Normal", "Killing", $"Container {spec.Name} definition changed, will be restarted");
                        await StopContainerAsync(target.State, pod, spec, latest.Id, TimeSpan.FromSeconds(pod.Spec.TerminationGracePeriodSeconds ?? 30), ct);
                        await StartAsync(target, spec, true, latest.Metadata.Attempt + 1, ct);
                        if (!initialized)
                        {
                            return false;
                        }

                        continue;
                    }

                    if (!initialized && !SidecarStarted(target, spec, latest.Id))
                    {
                        // The next init container waits for the startup probe; its result wakes the pod.
                        return false;
                    }

                    continue;
                }

                await RestartAsync(target, spec, true, latest, status, ct);
                if (!initialized)
                {
                    return false;
                }

                continue;
            }

            if (initialized || status is { State: CriState.ContainerExited, ExitCode: 0 })
            {
                continue;
            }

            if (status is null || status.State is CriState.ContainerRunning)
            {
                return false;
            }

            if (pod.Spec.RestartPolicy == "Never")
            {
                return false;
            }

            await RestartAsync(target, spec, true, latest, status, ct);
            return false;
        }

        return true;
    }

    private bool SidecarStarted(Target target, V1Container spec, string id) =>
        spec.StartupProbe is null || _startup is null || _startup.IsStarted(target.State.Uid, spec, ContainerId(id));
}
