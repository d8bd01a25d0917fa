using k8s;
using k8s.Models;
using KubeWeb.Controllers.Apps;
using KubeWeb.Core.Events;

namespace KubeWeb.Controllers.Volumes;

public sealed partial class PersistentVolumeController
{
    /// <summary>
    /// k3s's local-path provisioner: a hostPath volume <c>pvc-&lt;claim uid&gt;</c> in a folder of that
    /// name under <see cref="VolumeControllerOptions.StorageRoot"/> on the node the scheduler chose,
    /// pinned there by node affinity and pre-bound to the claim, which then binds to it.
    /// </summary>
    private async Task ProvisionAsync(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string node, CancellationToken ct)
    {
        var annotations = claim.Metadata.Annotations ?? new Dictionary<string, string>();
        if (!annotations.ContainsKey(StorageProvisioner))
        {
            var patch = new V1Patch(new
            {
                metadata = new { annotations = new Dictionary<string, string> { [StorageProvisioner] = LocalPathProvisioner, [BetaStorageProvisioner] = LocalPathProvisioner } },
            }, V1Patch.PatchType.MergePatch);
            await _client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: ct);
        }

        var name = "pvc-" + claim.Metadata.Uid;
        if (_volumes.Get("", name) is not null)
        {
            return;
        }

        Tell(claim, EventRecorder.Normal, "Provisioning", $"External provisioner is provisioning volume for claim \"{claim.Metadata.NamespaceProperty}/{claim.Metadata.Name}\"");
        var target = _nodes.Get("", node);
        var volume = LocalPathVolume(claim, storageClass, node, target?.Metadata.Labels, _options.StorageRoot, HasFolders(target));
        try
        {
            await _client.CoreV1.CreatePersistentVolumeAsync(volume, cancellationToken: ct);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            return;
        }

        Tell(claim, EventRecorder.Normal, "ProvisioningSucceeded", $"Successfully provisioned volume {name}");
    }

    /// <summary>
    /// Whether the node keeps volume folders its agent must remove: every node but a simulated one
    /// (its pods only pretend to mount, so there is nothing to clean up and no agent loop doing it).
    /// </summary>
    internal static bool HasFolders(V1Node? node) =>
        node?.Status?.NodeInfo?.ContainerRuntimeVersion?.StartsWith("simulated://", StringComparison.Ordinal) != true;

    /// <summary>
    /// The volume the local-path provisioner creates for <paramref name="claim"/> on <paramref name="node"/>;
    /// with <paramref name="cleanup"/> it waits for the node's agent to remove the folder before it goes.
    /// </summary>
    internal static V1PersistentVolume LocalPathVolume(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string node,
        IDictionary<string, string>? nodeLabels, string storageRoot, bool cleanup = true)
    {
        var name = "pvc-" + claim.Metadata.Uid;
        var hostname = nodeLabels is not null && nodeLabels.TryGetValue("kubernetes.io/hostname", out var h) ? h : node;
        return new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string> { [ProvisionedBy] = LocalPathProvisioner, [SelectedNode] = node },
                Finalizers = cleanup ? [PvProtection, LocalPathCleanup] : [PvProtection],
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = claim.Spec.Resources.Requests["storage"] },
                AccessModes = [.. claim.Spec.AccessModes ?? ["ReadWriteOnce"]],
                PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
                StorageClassName = storageClass.Metadata.Name,
                VolumeMode = claim.Spec.VolumeMode ?? "Filesystem",
                HostPath = new V1HostPathVolumeSource { Path = storageRoot.TrimEnd('/') + "/" + name, Type = "DirectoryOrCreate" },
                ClaimRef = new V1ObjectReference
                {
                    Kind = "PersistentVolumeClaim",
                    ApiVersion = "v1",
                    NamespaceProperty = claim.Metadata.NamespaceProperty,
                    Name = claim.Metadata.Name,
                    Uid = claim.Metadata.Uid,
                },
                NodeAffinity = new V1VolumeNodeAffinity
                {
                    Required = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm
                            {
                                MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [hostname] }],
                            },
                        ],
                    },
                },
            },
        };
    }
}
