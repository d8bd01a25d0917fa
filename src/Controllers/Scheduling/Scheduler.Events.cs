using System.Text.Json;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Controllers.Scheduling;

/// <summary>
/// How informer events reach the scheduler: bound pods and nodes update the cache, pending pods the
/// queue; changes that can make a parked pod fit (a node added or changed in what filters read, a
/// pod deleted or finished, a pod added for pods waiting on pod affinity) move parked pods back.
/// Handlers are idempotent (add and update are both upserts), so replaying a cache is harmless.
/// </summary>
internal sealed partial class Scheduler
{
    public void OnNodeAdded(V1Node node)
    {
        Cache.AddOrUpdateNode(node);
        Queue.MoveAllToActiveOrBackoff();
    }

    public void OnNodeUpdated(V1Node old, V1Node node)
    {
        Cache.AddOrUpdateNode(node);
        if (SchedulingFieldsChanged(old, node))
        {
            Queue.MoveAllToActiveOrBackoff();
        }
    }

    public void OnNodeDeleted(V1Node node) => Cache.RemoveNode(node.Metadata.Name);

    public void OnPodAdded(V1Pod pod)
    {
        var key = ObjectKeys.Of(pod);
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            Queue.Delete(key);
            if (IsTerminal(pod))
            {
                Cache.RemovePod(key);
                return;
            }

            Cache.AddOrUpdatePod(pod);
            Queue.MoveAllToActiveOrBackoff(onlyWaitingForPods: true);
        }
        else if (NeedsScheduling(pod))
        {
            Queue.AddOrUpdate(key, pod.Spec?.Priority ?? 0, WaitsForPods(pod));
        }
    }

    public void OnPodUpdated(V1Pod old, V1Pod pod)
    {
        var key = ObjectKeys.Of(pod);
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            ForgetNomination(key);
            Queue.Delete(key);
            if (IsTerminal(pod))
            {
                Cache.RemovePod(key);
                Queue.MoveAllToActiveOrBackoff();
                return;
            }

            Cache.AddOrUpdatePod(pod);
            if (!LabelsEqual(old.Metadata.Labels, pod.Metadata.Labels))
            {
                Queue.MoveAllToActiveOrBackoff(onlyWaitingForPods: true);
            }
        }
        else if (NeedsScheduling(pod))
        {
            Queue.AddOrUpdate(key, pod.Spec?.Priority ?? 0, WaitsForPods(pod), changed: SpecOrLabelsChanged(old, pod));
        }
        else
        {
            Queue.Delete(key);
            Cache.RemovePod(key); // an assumed pod that is now terminating
        }
    }

    public void OnPodDeleted(V1Pod pod)
    {
        var key = ObjectKeys.Of(pod);
        ForgetNomination(key);
        Queue.Delete(key);
        if (Cache.NodeOf(key) is not null)
        {
            Cache.RemovePod(key);
            Queue.MoveAllToActiveOrBackoff();
        }
    }

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static bool WaitsForPods(V1Pod pod) => pod.Spec?.Affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { Count: > 0 };

    private static bool SpecOrLabelsChanged(V1Pod old, V1Pod pod) =>
        !LabelsEqual(old.Metadata.Labels, pod.Metadata.Labels)
        || JsonSerializer.Serialize(old.Spec, KubeJson.Options) != JsonSerializer.Serialize(pod.Spec, KubeJson.Options);

    /// <summary>What the filters read: labels, taints, cordon, allocatable (not heartbeats or conditions).</summary>
    private static bool SchedulingFieldsChanged(V1Node old, V1Node node)
    {
        if (!LabelsEqual(old.Metadata.Labels, node.Metadata.Labels) || (old.Spec?.Unschedulable == true) != (node.Spec?.Unschedulable == true))
        {
            return true;
        }

        var oldTaints = (old.Spec?.Taints ?? []).Select(t => (t.Key, t.Value, t.Effect));
        var newTaints = (node.Spec?.Taints ?? []).Select(t => (t.Key, t.Value, t.Effect));
        if (!oldTaints.SequenceEqual(newTaints))
        {
            return true;
        }

        var oldAlloc = old.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>();
        var newAlloc = node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>();
        return oldAlloc.Count != newAlloc.Count
            || oldAlloc.Any(kv => !newAlloc.TryGetValue(kv.Key, out var q) || q.ToString() != kv.Value.ToString());
    }

    private static bool LabelsEqual(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        return a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
