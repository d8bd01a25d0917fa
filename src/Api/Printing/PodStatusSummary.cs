using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>
/// The READY, STATUS and RESTARTS of a pod as kubectl shows them. The rules follow kube-apiserver's pod
/// printer: the first init container that has not finished explains the status ("Init:1/3",
/// "Init:CrashLoopBackOff"); once initialised, the first app container that is waiting or terminated
/// does; restarts of ordinary init containers stop counting after initialisation, sidecars keep counting.
/// </summary>
internal readonly record struct PodStatusSummary(int Ready, int Total, string Reason, int Restarts, DateTime? LastRestart)
{
    private const string NodeUnreachableReason = "NodeLost";

    public static PodStatusSummary Of(V1Pod pod)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var status = pod.Status ?? new V1PodStatus();
        var conditions = status.Conditions ?? [];

        var sidecars = new HashSet<string>();
        foreach (var c in spec.InitContainers ?? [])
        {
            if (c.RestartPolicy == "Always")
            {
                sidecars.Add(c.Name);
            }
        }

        var total = (spec.Containers?.Count ?? 0) + (spec.InitContainers ?? []).Count(c => c.RestartPolicy == "Always");
        var phase = status.Phase ?? "";
        var reason = string.IsNullOrEmpty(status.Reason) ? phase : status.Reason;
        if (conditions.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        var ready = 0;
        var everyInit = new RestartTally();
        var sidecarTally = new RestartTally();
        var initializing = false;
        var initStatuses = status.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var cs = initStatuses[i];
            var isSidecar = sidecars.Contains(cs.Name);
            everyInit.Add(cs);
            if (isSidecar)
            {
                sidecarTally.Add(cs);
            }

            var terminated = cs.State?.Terminated;
            var waiting = cs.State?.Waiting;
            if (terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (isSidecar && cs.Started == true)
            {
                ready += cs.Ready ? 1 : 0;
                continue;
            }

            reason = terminated is not null ? "Init:" + TerminatedText(terminated)
                : !string.IsNullOrEmpty(waiting?.Reason) && waiting.Reason != "PodInitializing" ? "Init:" + waiting.Reason
                : $"Init:{i}/{spec.InitContainers?.Count ?? 0}";
            initializing = true;
            break;
        }

        var restarts = everyInit;
        if (!initializing || IsTrue(conditions, "Initialized"))
        {
            restarts = sidecarTally;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];

            // Walk backwards so that the first container's state is the one left in the reason.
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var cs = statuses[i];
                restarts.Add(cs);
                if (!string.IsNullOrEmpty(cs.State?.Waiting?.Reason))
                {
                    reason = cs.State.Waiting.Reason;
                }
                else if (cs.State?.Terminated is { } terminated)
                {
                    reason = TerminatedText(terminated);
                }
                else if (cs.Ready && cs.State?.Running is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = conditions.Any(c => c.Type == "Ready" && c.Status == "True") ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            if (status.Reason == NodeUnreachableReason)
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }

        return new(ready, total, reason, restarts.Count, restarts.Last);
    }

    private static string TerminatedText(V1ContainerStateTerminated t) =>
        !string.IsNullOrEmpty(t.Reason) ? t.Reason
        : t.Signal is { } signal && signal != 0 ? $"Signal:{signal}"
        : $"ExitCode:{t.ExitCode}";

    /// <summary>As kube-apiserver's Initialized check: only the first condition of the type counts.</summary>
    private static bool IsTrue(IList<V1PodCondition> conditions, string type) =>
        conditions.FirstOrDefault(c => c.Type == type)?.Status == "True";

    private sealed class RestartTally
    {
        public int Count { get; private set; }

        public DateTime? Last { get; private set; }

        public void Add(V1ContainerStatus cs)
        {
            Count += cs.RestartCount;
            var finished = cs.LastState?.Terminated?.FinishedAt;
            if (!Cell.IsZero(finished) && (Last is null || Last < finished))
            {
                Last = finished;
            }
        }
    }
}
