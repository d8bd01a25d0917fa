using System.Collections.Immutable;
using k8s.Models;
using KubeWeb.Core.Informers;

namespace KubeWeb.Controllers.Scheduling.Cache;

/// <summary>
/// The scheduler's view of the cluster, fed incrementally by the node and pod informers and by the
/// scheduler itself (upstream's internal cache): a pod is <em>assumed</em> on a node as soon as the
/// scheduler picks it, so the next cycle sees the resources taken before the bind round-trips and
/// the informer confirms it. Node infos are immutable; <see cref="Snapshot"/> hands out an
/// immutable array that is rebuilt only when something changed. Thread-safe.
/// </summary>
internal sealed class SchedulerCache(TimeProvider time, TimeSpan assumedPodTtl)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeInfo> _infos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly List<NodeInfo> _slots = [];
    private readonly Dictionary<string, PodState> _pods = new(StringComparer.Ordinal);
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private bool _dirty;
    private int _podsWithAffinity;

    private sealed record PodState(PodInfo Info, string NodeName, bool Assumed, DateTimeOffset? Deadline);

    public int NodeCount
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    public ClusterSnapshot Snapshot()
    {
        lock (_lock)
        {
            if (_dirty)
            {
                _snapshot = new ClusterSnapshot([.. _slots], _podsWithAffinity);
                _dirty = false;
            }

            return _snapshot;
        }
    }

    public void AddOrUpdateNode(V1Node node)
    {
        lock (_lock)
        {
            var name = node.Metadata.Name;
            var info = (_infos.GetValueOrDefault(name) ?? NodeInfo.Empty(name)).WithNode(node);
            Set(info);
        }
    }

    public void RemoveNode(string name)
    {
        lock (_lock)
        {
            if (_infos.TryGetValue(name, out var info))
            {
                // Pods still bound to a deleted node keep their accounting until they are deleted too.
                Set(info.WithNode(null));
            }
        }
    }

    /// <summary>A pod the informer reports bound to a node (confirms an assumed pod, or moves it if bound elsewhere).</summary>
    public void AddOrUpdatePod(V1Pod pod)
    {
        var info = PodInfo.Create(pod);
        lock (_lock)
        {
            if (_pods.TryGetValue(info.Key, out var existing))
            {
                RemoveFromNode(existing);
            }

            _pods[info.Key] = new PodState(info, pod.Spec.NodeName, Assumed: false, Deadline: null);
            AddToNode(info, pod.Spec.NodeName);
        }
    }

    public void RemovePod(string key)
    {
        lock (_lock)
        {
            if (_pods.Remove(key, out var existing))
            {
                RemoveFromNode(existing);
            }
        }
    }

    /// <summary>Counts the pod on the node before it is bound.</summary>
    public void Assume(PodInfo pod, string nodeName)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(pod.Key, out var existing))
            {
                RemoveFromNode(existing);
            }

            _pods[pod.Key] = new PodState(pod, nodeName, Assumed: true, Deadline: null);
            AddToNode(pod, nodeName);
        }
    }

    /// <summary>The bind call returned; the assumption expires if the informer never confirms it.</summary>
    public void FinishBinding(string key)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(key, out var state) && state.Assumed)
            {
                _pods[key] = state with { Deadline = time.GetUtcNow() + assumedPodTtl };
            }
        }
    }

    /// <summary>The bind failed: the pod no longer holds the node's resources.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(key, out var state) && state.Assumed)
            {
                _pods.Remove(key);
                RemoveFromNode(state);
            }
        }
    }

    public bool IsAssumed(string key)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(key, out var state) && state.Assumed;
        }
    }

    /// <summary>Where the cache has this pod (bound or assumed), or null.</summary>
    public string? NodeOf(string key)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(key, out var state) ? state.NodeName : null;
        }
    }

    /// <summary>Drops assumed pods whose bind finished long ago but never showed up bound.</summary>
    public int CleanupExpired()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var expired = _pods.Values.Where(s => s.Assumed && s.Deadline is { } d && d <= now).ToList();
            foreach (var s in expired)
            {
                _pods.Remove(s.Info.Key);
                RemoveFromNode(s);
            }

            return expired.Count;
        }
    }

    private void AddToNode(PodInfo pod, string nodeName)
    {
        var info = (_infos.GetValueOrDefault(nodeName) ?? NodeInfo.Empty(nodeName)).WithPod(pod);
        if (pod.HasRequiredAffinityTerms)
        {
            _podsWithAffinity++;
        }

        Set(info);
    }

    private void RemoveFromNode(PodState state)
    {
        if (!_infos.TryGetValue(state.NodeName, out var info))
        {
            return;
        }

        if (state.Info.HasRequiredAffinityTerms && info.HasPod(state.Info.Key))
        {
            _podsWithAffinity--;
        }

        Set(info.WithoutPod(state.Info.Key));
    }

    /// <summary>Stores a node info; only nodes with a Node object take a slot in snapshots.</summary>
    private void Set(NodeInfo info)
    {
        _dirty = true;
        if (info.Node is null && info.PodCount == 0)
        {
            _infos.Remove(info.Name);
        }
        else
        {
            _infos[info.Name] = info;
        }

        var hasSlot = _slotOf.TryGetValue(info.Name, out var slot);
        if (info.Node is not null)
        {
            if (hasSlot)
            {
                _slots[slot] = info;
            }
            else
            {
                _slotOf[info.Name] = _slots.Count;
                _slots.Add(info);
            }
        }
        else if (hasSlot)
        {
            var last = _slots[^1];
            _slots[slot] = last;
            _slotOf[last.Name] = slot;
            _slots.RemoveAt(_slots.Count - 1);
            _slotOf.Remove(info.Name);
        }
    }

    /// <summary>For tests: the node info as the cache holds it.</summary>
    public NodeInfo? Get(string name)
    {
        lock (_lock)
        {
            return _infos.GetValueOrDefault(name);
        }
    }

    public static string KeyOf(V1Pod pod) => ObjectKeys.Of(pod);

    public IReadOnlyCollection<string> AssumedKeys()
    {
        lock (_lock)
        {
            return _pods.Values.Where(s => s.Assumed).Select(s => s.Info.Key).ToImmutableArray();
        }
    }
}
