using System.Collections.Immutable;
using k8s.Models;

namespace KubeWeb.Controllers.Scheduling.Cache;

/// <summary>
/// An immutable view of one node and the pods on it (bound or assumed), with the aggregates the
/// filters and scorers read: allocatable, requested, non-zero requested, used host ports, pods with
/// affinity terms and per-owner pod counts. Every change makes a new instance in O(log pods), so a
/// snapshot can share unchanged nodes with the previous one.
/// </summary>
internal sealed class NodeInfo
{
    private static readonly IDictionary<string, string> NoLabels = ImmutableDictionary<string, string>.Empty;

    private NodeInfo(string name) => Name = name;

    public string Name { get; }

    /// <summary>Null while pods are known on a node the informer has not delivered (or has deleted).</summary>
    public V1Node? Node { get; private init; }

    public IDictionary<string, string> Labels { get; private init; } = NoLabels;

    public ImmutableArray<V1Taint> Taints { get; private init; } = [];

    public bool Unschedulable { get; private init; }

    public Resources Allocatable { get; private init; } = Resources.Zero;

    public int AllowedPodNumber { get; private init; }

    public Resources Requested { get; private init; } = Resources.Zero;

    public long NonZeroMilliCpu { get; private init; }

    public long NonZeroMemory { get; private init; }

    /// <summary>
    /// The pods on the node. An array, not a map: a node holds at most a few hundred pods, so a
    /// copy per change is cheap and the scans inter-pod affinity and spreading do are fast.
    /// </summary>
    public ImmutableArray<PodInfo> Pods { get; private init; } = [];

    /// <summary>Pods with required affinity or anti-affinity terms (the only ones inter-pod affinity must scan).</summary>
    public ImmutableList<PodInfo> PodsWithAffinity { get; private init; } = [];

    public ImmutableDictionary<HostPort, int> UsedPorts { get; private init; } = ImmutableDictionary<HostPort, int>.Empty;

    /// <summary>Pods per controlling owner uid, for default spreading.</summary>
    public ImmutableDictionary<string, int> OwnerCounts { get; private init; } = ImmutableDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);

    public int PodCount => Pods.Length;

    public bool HasPod(string key) => IndexOf(key) >= 0;

    public static NodeInfo Empty(string name) => new(name);

    public static NodeInfo For(V1Node node) => Empty(node.Metadata.Name).WithNode(node);

    public NodeInfo WithNode(V1Node? node) => new(Name)
    {
        Node = node,
        Labels = node?.Metadata.Labels ?? NoLabels,
        Taints = node?.Spec?.Taints is { Count: > 0 } taints ? [.. taints] : [],
        Unschedulable = node?.Spec?.Unschedulable == true,
        Allocatable = Resources.From(node?.Status?.Allocatable),
        AllowedPodNumber = Resources.PodCount(node?.Status?.Allocatable),
        Requested = Requested,
        NonZeroMilliCpu = NonZeroMilliCpu,
        NonZeroMemory = NonZeroMemory,
        Pods = Pods,
        PodsWithAffinity = PodsWithAffinity,
        UsedPorts = UsedPorts,
        OwnerCounts = OwnerCounts,
    };

    public NodeInfo WithPod(PodInfo pod)
    {
        var node = HasPod(pod.Key) ? WithoutPod(pod.Key) : this;
        var ports = node.UsedPorts;
        foreach (var p in pod.HostPorts)
        {
            ports = ports.SetItem(p, ports.GetValueOrDefault(p) + 1);
        }

        return new NodeInfo(Name)
        {
            Node = node.Node,
            Labels = node.Labels,
            Taints = node.Taints,
            Unschedulable = node.Unschedulable,
            Allocatable = node.Allocatable,
            AllowedPodNumber = node.AllowedPodNumber,
            Requested = node.Requested.Add(pod.Requests),
            NonZeroMilliCpu = node.NonZeroMilliCpu + pod.NonZeroMilliCpu,
            NonZeroMemory = node.NonZeroMemory + pod.NonZeroMemory,
            Pods = node.Pods.Add(pod),
            PodsWithAffinity = pod.HasRequiredAffinityTerms ? node.PodsWithAffinity.Add(pod) : node.PodsWithAffinity,
            UsedPorts = ports,
            OwnerCounts = pod.OwnerUid is { } owner ? node.OwnerCounts.SetItem(owner, node.OwnerCounts.GetValueOrDefault(owner) + 1) : node.OwnerCounts,
        };
    }

    public NodeInfo WithoutPod(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return this;
        }

        var pod = Pods[index];
        var ports = UsedPorts;
        foreach (var p in pod.HostPorts)
        {
            var n = ports.GetValueOrDefault(p) - 1;
            ports = n <= 0 ? ports.Remove(p) : ports.SetItem(p, n);
        }

        var owners = OwnerCounts;
        if (pod.OwnerUid is { } owner)
        {
            var n = owners.GetValueOrDefault(owner) - 1;
            owners = n <= 0 ? owners.Remove(owner) : owners.SetItem(owner, n);
        }

        return new NodeInfo(Name)
        {
            Node = Node,
            Labels = Labels,
            Taints = Taints,
            Unschedulable = Unschedulable,
            Allocatable = Allocatable,
            AllowedPodNumber = AllowedPodNumber,
            Requested = Requested.Subtract(pod.Requests),
            NonZeroMilliCpu = NonZeroMilliCpu - pod.NonZeroMilliCpu,
            NonZeroMemory = NonZeroMemory - pod.NonZeroMemory,
            Pods = Pods.RemoveAt(index),
            PodsWithAffinity = pod.HasRequiredAffinityTerms ? PodsWithAffinity.RemoveAll(p => p.Key == key) : PodsWithAffinity,
            UsedPorts = ports,
            OwnerCounts = owners,
        };
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < Pods.Length; i++)
        {
            if (Pods[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }
}
