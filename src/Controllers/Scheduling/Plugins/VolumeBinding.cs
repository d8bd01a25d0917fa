using k8s.Models;
using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;
using KubeWeb.Controllers.Volumes;

namespace KubeWeb.Controllers.Scheduling.Plugins;

/// <summary>What the volume plugin reads: claims, volumes and classes from the controller manager's caches.</summary>
internal interface IVolumeLister
{
    V1PersistentVolumeClaim? Claim(string ns, string name);

    V1PersistentVolume? Volume(string name);

    V1StorageClass? StorageClass(string name);

    IEnumerable<V1PersistentVolume> Volumes();
}

/// <summary>
/// Upstream's VolumeBinding plugin, for persistentVolumeClaim volumes: a missing or terminating
/// claim, or an unbound claim of an Immediate class, rejects the pod before nodes are looked at; a
/// bound claim's volume must admit the node by its node affinity; an unbound WaitForFirstConsumer
/// claim needs a matching volume usable from the node, or a provisioner (the binder then provisions
/// on the node chosen, see <see cref="Binding.ApiBinder"/>).
/// </summary>
internal sealed class VolumeBinding(IVolumeLister volumes) : IPreFilterPlugin, IFilterPlugin
{
    public const string UnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";
    public const string AffinityConflict = "node(s) had volume node affinity conflict";
    public const string NoVolumeToBind = "node(s) didn't find available persistent volumes to bind";

    private const string StateKey = "VolumeBinding";

    private static readonly FilterStatus Conflict = new(AffinityConflict) { Unresolvable = true };
    private static readonly FilterStatus NoVolume = new(NoVolumeToBind) { Unresolvable = true };

    public string Name => "VolumeBinding";

    public FilterStatus? PreFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot)
    {
        var ns = pod.Pod.Metadata.NamespaceProperty ?? "default";
        List<V1PersistentVolume>? bound = null;
        List<(V1PersistentVolumeClaim Claim, V1StorageClass? Class)>? delayed = null;
        foreach (var v in pod.Pod.Spec?.Volumes ?? [])
        {
            if (v.PersistentVolumeClaim?.ClaimName is not { Length: > 0 } name)
            {
                continue;
            }

            var claim = volumes.Claim(ns, name);
            if (claim is null)
            {
                return new FilterStatus($"persistentvolumeclaim \"{name}\" not found") { Unresolvable = true };
            }

            if (claim.Metadata.DeletionTimestamp is not null)
            {
                return new FilterStatus($"persistentvolumeclaim \"{name}\" is being deleted") { Unresolvable = true };
            }

            if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
            {
                var sc = claim.Spec?.StorageClassName is { Length: > 0 } cls ? volumes.StorageClass(cls) : null;
                if (sc?.VolumeBindingMode != "WaitForFirstConsumer")
                {
                    return new FilterStatus(UnboundImmediate) { Unresolvable = true };
                }

                (delayed ??= []).Add((claim, sc));
            }
            else if (volumes.Volume(claim.Spec.VolumeName) is { } pv)
            {
                (bound ??= []).Add(pv);
            }
            else
            {
                return new FilterStatus("pvc(s) bound to non-existent pv(s)") { Unresolvable = true };
            }
        }

        if (bound is not null || delayed is not null)
        {
            state.Write(StateKey, new Claims(bound ?? [], delayed ?? []));
        }

        return null;
    }

    public FilterStatus? Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<Claims>(StateKey) is not { } claims)
        {
            return null;
        }

        foreach (var pv in claims.Bound)
        {
            if (!VolumeMatching.NodeMatches(pv.Spec?.NodeAffinity, node.Name, node.Labels))
            {
                return Conflict;
            }
        }

        foreach (var (claim, sc) in claims.Delayed)
        {
            if (string.IsNullOrEmpty(sc?.Provisioner) || sc.Provisioner == "kubernetes.io/no-provisioner")
            {
                if (VolumeMatching.FindBest(claim, volumes.Volumes(), node.Name, node.Labels) is null)
                {
                    return NoVolume;
                }
            }
        }

        return null;
    }

    private sealed record Claims(List<V1PersistentVolume> Bound, List<(V1PersistentVolumeClaim Claim, V1StorageClass? Class)> Delayed);
}
