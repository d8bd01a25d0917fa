using System.Collections.Immutable;

namespace KubeWeb.Controllers.Scheduling.Cache;

/// <summary>
/// The immutable state one scheduling cycle decides on: every node with its pods (bound and
/// assumed). Taken from <see cref="SchedulerCache.Snapshot"/>; unchanged between cycles unless the
/// cache changed, and never mutated, so plugins may read it from several threads.
/// </summary>
internal sealed class ClusterSnapshot(ImmutableArray<NodeInfo> nodes, int podsWithAffinity)
{
    public static readonly ClusterSnapshot Empty = new([], 0);

    public ImmutableArray<NodeInfo> Nodes { get; } = nodes;

    /// <summary>Pods anywhere in the cluster with required (anti-)affinity terms: zero lets inter-pod affinity skip its scan.</summary>
    public int PodsWithAffinity { get; } = podsWithAffinity;

    public NodeInfo? Find(string name)
    {
        foreach (var n in Nodes)
        {
            if (n.Name == name)
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>For tests and benchmarks: a snapshot of these nodes.</summary>
    public static ClusterSnapshot Of(IEnumerable<NodeInfo> nodes)
    {
        var array = nodes.ToImmutableArray();
        return new ClusterSnapshot(array, array.Sum(n => n.PodsWithAffinity.Count));
    }
}
