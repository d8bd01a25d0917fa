using k8s.Models;
using KubeWeb.Api.Http;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Agents;

/// <summary>
/// The node half of local-path reclaim: a deleted local-path volume keeps the
/// <see cref="LocalVolume.CleanupFinalizer"/> until the agent of the node it lives on (its
/// <c>volume.kubernetes.io/selected-node</c> annotation) has removed the folder and said so.
/// </summary>
internal sealed class LocalVolumes(ResourceHandler handler, ObjectStore store, ResourceRegistry registry)
{
    private const string SelectedNode = "volume.kubernetes.io/selected-node";

    private readonly ResourceType _volumes = registry.Find("", "v1", "persistentvolumes")!;

    /// <summary>The node's local-path volumes that are being deleted.</summary>
    public IReadOnlyList<LocalVolume> ToDelete(string node) =>
        [.. store.List("persistentvolumes", null).Items.Select(s => s.Object).OfType<V1PersistentVolume>()
            .Where(pv => IsNodesDeleting(pv, node))
            .Select(pv => new LocalVolume(pv.Metadata.Name, pv.Spec.HostPath?.Path ?? pv.Spec.Local?.Path ?? ""))];

    /// <summary>Lifts the cleanup finalizer of a volume of this node (the folder is gone).</summary>
    public async Task DeletedAsync(string node, string name, CancellationToken ct)
    {
        if (store.Get("persistentvolumes", "", name)?.Object is not V1PersistentVolume pv || !IsNodesDeleting(pv, node))
        {
            return;
        }

        await handler.UpdateObjectAsync(_volumes, new RequestInfo("", "v1", null, "persistentvolumes", name, null), current =>
        {
            var copy = (V1PersistentVolume)store.Codec.Copy(current);
            copy.Metadata.Finalizers?.Remove(LocalVolume.CleanupFinalizer);
            return copy;
        }, null, WriteOptions.Internal("kubelet"), preconditioned: false, ct);
    }

    private static bool IsNodesDeleting(V1PersistentVolume pv, string node) =>
        pv.Metadata.DeletionTimestamp is not null
        && pv.Metadata.Finalizers?.Contains(LocalVolume.CleanupFinalizer) == true
        && pv.Metadata.Annotations?.TryGetValue(SelectedNode, out var n) == true && n == node;
}
