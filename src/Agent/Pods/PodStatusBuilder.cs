using k8s.Models;
using KubeWeb.Agent.Probes;
using KubeWeb.Agent.Runtime;

namespace KubeWeb.Agent.Pods;

/// <summary>
/// Desired pod spec + what the runtime observes → the pod status the agent reports (the kubelet's
/// generateAPIPodStatus). Pure: every time comes from the runtime snapshot, so building twice from
/// the same snapshot gives the same status and a resync never looks like a change.
/// </summary>
internal static class PodStatusBuilder
{
    /// <summary>The condition types the agent owns; the server keeps any others.</summary>
    public static readonly string[] OwnedConditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

    /// <param name="probes">Probe results (started, ready); without it a running container is started and ready.</param>
    public static V1PodStatus Build(V1Pod pod, RuntimePod? rt, string hostIp, ProbeManager? probes = null)
    {
        var created = rt?.CreatedAt ?? pod.Metadata.CreationTimestamp ?? DateTime.UnixEpoch;
        var containers = (pod.Spec.Containers ?? []).Select(c => ContainerStatus(c, rt, init: false, pod.Metadata.Uid, probes)).ToList();
        var inits = (pod.Spec.InitContainers ?? []).Select(c => ContainerStatus(c, rt, init: true, pod.Metadata.Uid, c.IsSidecar() ? probes : null, c.IsSidecar())).ToList();
        var sidecars = inits.Where((_, i) => pod.Spec.InitContainers![i].IsSidecar()).ToList();
        // The kubelet: initialized once every regular init container succeeded and every sidecar started,
        // and for good once an app container ran (a sidecar restarting later changes nothing).
        var incomplete = inits.Where((s, i) => pod.Spec.InitContainers![i].IsSidecar() ? s.Started != true : s.State?.Terminated?.ExitCode != 0).ToList();
        var initialized = incomplete.Count == 0
            || containers.Any(c => c.State?.Running is not null || c.State?.Terminated is not null || c.LastState?.Terminated is not null);
        // Sidecars count for readiness (listed first, as the kubelet does).
        var longRunning = sidecars.Concat(containers).ToList();
        var ready = containers.Count > 0 && longRunning.All(c => c.Ready) && rt?.StoppedAt is null;
        var readySince = longRunning.Select(c => c.State?.Running?.StartedAt).Where(t => t is not null).DefaultIfEmpty(created).Max() ?? created;
        var notReady = string.Join(' ', longRunning.Where(c => !c.Ready).Select(c => c.Name));

        var status = new V1PodStatus
        {
            Phase = Phase(pod, containers, sidecars, rt),
            HostIP = hostIp,
            HostIPs = [new V1HostIP { Ip = hostIp }],
            PodIP = rt?.Ip,
            PodIPs = rt?.Ip is { } ip ? [new V1PodIP { Ip = ip }] : null,
            StartTime = rt?.CreatedAt,
            QosClass = pod.Status?.QosClass,
            InitContainerStatuses = inits.Count > 0 ? inits : null,
            ContainerStatuses = containers,
            Conditions =
            [
                Condition("PodReadyToStartContainers", rt is { SandboxReady: true }, rt?.StoppedAt ?? created),
                Condition("Initialized", initialized, created, initialized ? null : "ContainersNotInitialized",
                    initialized ? null : $"containers with incomplete status: [{string.Join(' ', incomplete.Select(s => s.Name))}]"),
                Condition("Ready", ready, ready ? readySince : rt?.StoppedAt ?? created, ready ? null : "ContainersNotReady",
                    ready ? null : $"containers with unready status: [{notReady}]"),
                Condition("ContainersReady", ready, ready ? readySince : rt?.StoppedAt ?? created, ready ? null : "ContainersNotReady",
                    ready ? null : $"containers with unready status: [{notReady}]"),
                Condition("PodScheduled", true, pod.Metadata.CreationTimestamp ?? created),
            ],
        };
        return status;
    }

    /// <summary>True when every container has stopped (after a kill).</summary>
    public static bool AllStopped(RuntimePod? rt) =>
        rt is null || (rt.StoppedAt is not null && rt.Containers.All(c => c.State == ContainerState.Exited));

    private static string Phase(V1Pod pod, List<V1ContainerStatus> containers, List<V1ContainerStatus> sidecars, RuntimePod? rt)
    {
        if (rt is null || containers.Count == 0)
        {
            return "Pending";
        }

        var terminated = containers.Count(c => c.State?.Terminated is not null);
        var succeeded = containers.Count(c => c.State?.Terminated?.ExitCode == 0);
        if (rt.StoppedAt is not null && terminated == containers.Count)
        {
            // Stopped for good (deleted): terminal, as kubelet ≥ 1.27 reports it.
            return succeeded == containers.Count ? "Succeeded" : "Failed";
        }

        var policy = pod.Spec.RestartPolicy ?? "Always";
        if (containers.Any(c => c.State?.Running is not null))
        {
            return "Running";
        }

        // The kubelet's getPhase: containers that will restart keep the pod Running once it ran.
        var ran = containers.Any(c => c.State?.Terminated is not null || c.LastState?.Terminated is not null);
        if (terminated == containers.Count)
        {
            if (sidecars.Any(c => c.State?.Running is not null))
            {
                // The kubelet's getPhase counts running sidecars: terminal only once they have been stopped too.
                return "Running";
            }

            return policy switch
            {
                "Always" => "Running",
                "OnFailure" when succeeded < containers.Count => "Running",
                _ => succeeded == containers.Count ? "Succeeded" : "Failed",
            };
        }

        var regularInits = (pod.Spec.InitContainers ?? []).Where(c => !c.IsSidecar()).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (policy == "Never" && rt.Containers.Any(c => c.IsInit && regularInits.Contains(c.Name) && c.State == ContainerState.Exited && c.ExitCode != 0))
        {
            return "Failed";
        }

        return ran && policy != "Never" ? "Running" : "Pending";
    }

    /// <param name="sidecar">An init container with restartPolicy Always: started and ready as an app container.</param>
    private static V1ContainerStatus ContainerStatus(V1Container spec, RuntimePod? rt, bool init, string podUid, ProbeManager? probes, bool sidecar = false)
    {
        var c = rt?.Containers.FirstOrDefault(x => x.Name == spec.Name && x.IsInit == init);
        var image = ImageReference.Normalize(spec.Image);
        if (c is null)
        {
            return new V1ContainerStatus
            {
                Name = spec.Name,
                Image = image,
                ImageID = "",
                Ready = false,
                Started = false,
                RestartCount = 0,
                State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = init ? "PodInitializing" : "ContainerCreating" } },
            };
        }

        var state = State(c);
        var running = c.State == ContainerState.Running;
        var started = running && (probes is null || probes.IsStarted(podUid, spec, c.Id));
        var ready = started && (probes is null || probes.IsReady(podUid, spec, c.Id));
        return new V1ContainerStatus
        {
            Name = c.Name,
            Image = c.Image,
            ImageID = c.ImageId,
            ContainerID = c.Id.Length > 0 ? c.Id : null,
            Ready = init && !sidecar ? c.State == ContainerState.Exited && c.ExitCode == 0 : ready,
            Started = init && !sidecar ? running : started,
            RestartCount = c.RestartCount,
            State = state,
            LastState = c.Previous is { State: ContainerState.Exited } previous ? State(previous) : null,
        };
    }

    private static V1ContainerState State(RuntimeContainer c) => c.State switch
    {
        ContainerState.Running => new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = c.StartedAt } },
        ContainerState.Exited => new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = c.ExitCode ?? 0,
                Reason = c.Reason ?? (c.ExitCode is 0 or null ? "Completed" : "Error"),
                Message = c.Message,
                StartedAt = c.StartedAt,
                FinishedAt = c.FinishedAt,
                ContainerID = c.Id.Length > 0 ? c.Id : null,
            },
        },
        _ => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = c.Reason ?? "ContainerCreating", Message = c.Message } },
    };

    private static V1PodCondition Condition(string type, bool ok, DateTime since, string? reason = null, string? message = null) =>
        new() { Type = type, Status = ok ? "True" : "False", LastTransitionTime = since, Reason = reason, Message = message, LastProbeTime = null };
}
