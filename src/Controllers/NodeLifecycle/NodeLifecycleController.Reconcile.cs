using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Events;

namespace KubeWeb.Controllers.NodeLifecycle;

public sealed partial class NodeLifecycleController
{
    public override async Task ReconcileAsync(string key, CancellationToken ct)
    {
        var node = _nodes.Get("", key);
        if (node is null)
        {
            return;
        }

        var now = Time.GetUtcNow().UtcDateTime;
        var lease = _leases.Get("kube-node-lease", key);
        var heartbeat = (lease?.Spec?.RenewTime ?? node.Metadata.CreationTimestamp ?? now).ToUniversalTime();
        var leaseExpired = now - heartbeat > _options.NodeMonitorGracePeriod;
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

        if (leaseExpired && ready?.Status != "Unknown")
        {
            await SetReadyAsync(node, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", ct);
            _events.Record(node, EventRecorder.Normal, "NodeNotReady", $"Node {key} status is now: NodeNotReady");
            return;
        }

        if (!leaseExpired && ready is { Status: "Unknown", Reason: "NodeStatusUnknown" })
        {
            // The agent is back; its next status report refreshes the details.
            await SetReadyAsync(node, "True", "KubeletReady", "kubelet is posting ready status", ct);
            _events.Record(node, EventRecorder.Normal, "NodeReady", $"Node {key} status is now: NodeReady");
            return;
        }

        var wanted = ready?.Status switch
        {
            "Unknown" => Unreachable,
            "False" => NotReady,
            _ => null,
        };
        await ReconcileTaintsAsync(node, wanted, now, ct);
        if (wanted is not null)
        {
            await EvictAsync(node, now, ct);
        }
    }

    private async Task SetReadyAsync(V1Node node, string status, string reason, string message, CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        // The other conditions go back unchanged (serialized, never mutated: they belong to the cache).
        var conditions = (node.Status?.Conditions ?? []).Where(c => c.Type != "Ready").ToList();
        conditions.Add(new V1NodeCondition { Type = "Ready", Status = status, Reason = reason, Message = message, LastHeartbeatTime = now, LastTransitionTime = now });
        var patch = new V1Patch(new { status = new { conditions } }, V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchNodeStatusAsync(patch, node.Metadata.Name, cancellationToken: ct);

        if (status == "Unknown")
        {
            // As upstream: pods on an unreachable node are no longer Ready.
            foreach (var pod in _pods.List().Where(p => p.Spec?.NodeName == node.Metadata.Name && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true))
            {
                var podConditions = pod.Status.Conditions.Select(c => c.Type == "Ready" ? new V1PodCondition { Type = "Ready", Status = "False", LastTransitionTime = now } : c).ToList();
                await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new { status = new { conditions = podConditions } }, V1Patch.PatchType.MergePatch),
                    pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
            }
        }
    }

    /// <summary>
    /// The condition taints (NoSchedule and NoExecute for not-ready or unreachable) and, for a
    /// cordoned node, <c>node.kubernetes.io/unschedulable:NoSchedule</c>, as TaintNodesByCondition.
    /// </summary>
    private async Task ReconcileTaintsAsync(V1Node node, string? wanted, DateTime now, CancellationToken ct)
    {
        var taints = (node.Spec?.Taints ?? []).ToList();
        var ours = new[] { Unreachable, NotReady, Unschedulable };
        var cordoned = node.Spec?.Unschedulable == true;
        var keep = taints.Where(t => !ours.Contains(t.Key) || t.Key == wanted || (t.Key == Unschedulable && cordoned)).ToList();
        if (wanted is not null)
        {
            foreach (var effect in new[] { "NoSchedule", "NoExecute" })
            {
                if (!keep.Any(t => t.Key == wanted && t.Effect == effect))
                {
                    keep.Add(new V1Taint { Key = wanted, Effect = effect, TimeAdded = effect == "NoExecute" ? now : null });
                }
            }
        }

        if (cordoned && !keep.Any(t => t.Key == Unschedulable && t.Effect == "NoSchedule"))
        {
            keep.Add(new V1Taint { Key = Unschedulable, Effect = "NoSchedule", TimeAdded = now });
        }

        if (keep.Count == taints.Count && keep.All(k => taints.Any(t => t.Key == k.Key && t.Effect == k.Effect)))
        {
            return;
        }

        var patch = new V1Patch(new { spec = new { taints = keep }, metadata = new { resourceVersion = node.Metadata.ResourceVersion } }, V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchNodeAsync(patch, node.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>The taint manager: NoExecute taints evict pods that do not tolerate them, after tolerationSeconds if given.</summary>
    private async Task EvictAsync(V1Node node, DateTime now, CancellationToken ct)
    {
        var noExecute = (node.Spec?.Taints ?? []).Where(t => t.Effect == "NoExecute").ToList();
        if (noExecute.Count == 0)
        {
            return;
        }

        TimeSpan? nextCheck = null;
        foreach (var pod in _pods.List().Where(p => p.Spec?.NodeName == node.Metadata.Name && p.Metadata.DeletionTimestamp is null))
        {
            TimeSpan? deadline = TimeSpan.MaxValue;
            foreach (var taint in noExecute)
            {
                var toleration = pod.Spec.Tolerations?.FirstOrDefault(t => Tolerates(t, taint));
                if (toleration is null)
                {
                    deadline = TimeSpan.Zero;
                    break;
                }

                if (toleration.TolerationSeconds is { } seconds)
                {
                    var left = (taint.TimeAdded ?? now).ToUniversalTime().AddSeconds(seconds) - now;
                    deadline = left < deadline ? left : deadline;
                }
            }

            if (deadline <= TimeSpan.Zero)
            {
                _events.Record(pod, EventRecorder.Normal, "TaintManagerEviction", $"Marking for deletion Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}");
                await MarkDisruptionTargetAsync(pod, now, ct);
                await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
            }
            else if (deadline != TimeSpan.MaxValue)
            {
                nextCheck = nextCheck is null || deadline < nextCheck ? deadline : nextCheck;
            }
        }

        if (nextCheck is { } next)
        {
            Queue.AddAfter(node.Metadata.Name, next);
        }
    }

    /// <summary>Says why the pod goes (the DisruptionTarget condition, as upstream's taint manager), unless it already says so.</summary>
    private async Task MarkDisruptionTargetAsync(V1Pod pod, DateTime now, CancellationToken ct)
    {
        const string reason = "DeletionByTaintManager";
        if (DisruptionTarget.Has(pod, reason))
        {
            return;
        }

        try
        {
            await DisruptionTarget.MarkAsync(_client, pod, reason, "Taint manager: deleting due to NoExecute taint", fail: false, now, ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    internal static bool Tolerates(V1Toleration t, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(t.Effect) && t.Effect != taint.Effect)
        {
            return false;
        }

        if (t.OperatorProperty == "Exists")
        {
            return string.IsNullOrEmpty(t.Key) || t.Key == taint.Key;
        }

        return t.Key == taint.Key && (t.Value ?? "") == (taint.Value ?? "");
    }
}
