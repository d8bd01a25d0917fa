using k8s.Models;

namespace KubeWeb.Web.Nodes;

public enum DrainAction
{
    /// <summary>Evicted through pods/{name}/eviction.</summary>
    Evict,

    /// <summary>Left in place (DaemonSet and mirror pods), as <c>kubectl drain --ignore-daemonsets</c> does.</summary>
    Skip,

    /// <summary>Stops the drain unless the user allows it (unmanaged pods, local data).</summary>
    Block,
}

/// <summary>What a drain does with one pod, and why.</summary>
public sealed record DrainItem(string Namespace, string Name, string Uid, DrainAction Action, string Reason);

/// <summary>
/// kubectl drain's pod filters, in its order: mirror pods and DaemonSet pods are skipped; finished
/// pods are evicted freely; pods without a controller need <c>force</c>; pods with emptyDir need
/// <c>deleteEmptyDirData</c>.
/// </summary>
public sealed record DrainPlan(string Node, IReadOnlyList<DrainItem> Items)
{
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    public IEnumerable<DrainItem> ToEvict => Items.Where(i => i.Action == DrainAction.Evict);

    public IEnumerable<DrainItem> Blocked => Items.Where(i => i.Action == DrainAction.Block);

    public static DrainPlan Build(string node, IEnumerable<V1Pod> pods, bool force, bool deleteEmptyDirData) =>
        new(node, [.. pods.Where(p => p.Spec?.NodeName == node)
            .OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => Decide(p, force, deleteEmptyDirData))]);

    private static DrainItem Decide(V1Pod pod, bool force, bool deleteEmptyDirData)
    {
        DrainItem Item(DrainAction action, string reason) => new(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name, pod.Metadata.Uid ?? "", action, reason);

        if (pod.Metadata.Annotations?.ContainsKey(MirrorAnnotation) == true)
        {
            return Item(DrainAction.Skip, "mirror pod (managed by the node)");
        }

        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (controller?.Kind == "DaemonSet")
        {
            return Item(DrainAction.Skip, $"DaemonSet-managed ({controller.Name})");
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return Item(DrainAction.Evict, "finished");
        }

        if (controller is null && !force)
        {
            return Item(DrainAction.Block, "not managed by a controller; it would not come back (allow with Force)");
        }

        if (pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true && !deleteEmptyDirData)
        {
            return Item(DrainAction.Block, "uses emptyDir; its data would be lost (allow with Delete local data)");
        }

        return Item(DrainAction.Evict, controller is null ? "unmanaged (forced)" : $"{controller.Kind} {controller.Name}");
    }
}
