using k8s.Models;
using KubeWeb.Core.Selectors;

namespace KubeWeb.Controllers.Volumes;

/// <summary>
/// Which PersistentVolume a claim may bind to (upstream's findMatchingVolume): same class, same
/// volume mode, every requested access mode offered, enough capacity, the claim's selector matched,
/// not pre-bound to another claim, not being deleted, usable from the selected node. A volume
/// pre-bound to the claim wins; otherwise the smallest that fits.
/// </summary>
internal static class VolumeMatching
{
    public static V1PersistentVolume? FindBest(V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> volumes, string? node = null,
        IDictionary<string, string>? nodeLabels = null)
    {
        V1PersistentVolume? best = null;
        foreach (var pv in volumes)
        {
            if (!Matches(claim, pv, node, nodeLabels))
            {
                continue;
            }

            if (IsPreBoundTo(pv, claim))
            {
                return pv;
            }

            if (best is null || Capacity(pv) < Capacity(best))
            {
                best = pv;
            }
        }

        return best;
    }

    public static bool Matches(V1PersistentVolumeClaim claim, V1PersistentVolume pv, string? node = null, IDictionary<string, string>? nodeLabels = null)
    {
        var spec = pv.Spec;
        if (spec is null || pv.Metadata.DeletionTimestamp is not null)
        {
            return false;
        }

        if (spec.ClaimRef is not null && !IsPreBoundTo(pv, claim))
        {
            // Bound (or pre-bound) to another claim.
            return false;
        }

        if (spec.ClaimRef is null && pv.Status?.Phase is "Released" or "Failed")
        {
            return false;
        }

        if ((spec.StorageClassName ?? "") != (claim.Spec?.StorageClassName ?? ""))
        {
            return false;
        }

        if ((spec.VolumeMode ?? "Filesystem") != (claim.Spec?.VolumeMode ?? "Filesystem"))
        {
            return false;
        }

        var offered = spec.AccessModes ?? [];
        if ((claim.Spec?.AccessModes ?? []).Any(m => !offered.Contains(m)))
        {
            return false;
        }

        if (Capacity(pv) < Request(claim))
        {
            return false;
        }

        if (claim.Spec?.Selector is { } selector && !LabelSelector.FromApi(selector).Matches(pv.Metadata.Labels))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(claim.Spec?.VolumeName) && claim.Spec.VolumeName != pv.Metadata.Name)
        {
            return false;
        }

        return node is null || NodeMatches(spec.NodeAffinity, node, nodeLabels ?? new Dictionary<string, string>());
    }

    /// <summary>The volume's claimRef names this claim (and its uid, when it names one).</summary>
    public static bool IsPreBoundTo(V1PersistentVolume pv, V1PersistentVolumeClaim claim) =>
        pv.Spec?.ClaimRef is { } r
        && r.Name == claim.Metadata.Name
        && r.NamespaceProperty == claim.Metadata.NamespaceProperty
        && (string.IsNullOrEmpty(r.Uid) || r.Uid == claim.Metadata.Uid);

    /// <summary>Whether a volume's required node affinity admits the node (no affinity: every node).</summary>
    public static bool NodeMatches(V1VolumeNodeAffinity? affinity, string node, IDictionary<string, string> labels)
    {
        var terms = affinity?.Required?.NodeSelectorTerms;
        if (terms is not { Count: > 0 })
        {
            return true;
        }

        return terms.Any(t => Scheduling.Plugins.NodeSelectors.Matches(t, node, labels));
    }

    public static decimal Capacity(V1PersistentVolume pv) =>
        pv.Spec?.Capacity is { } c && c.TryGetValue("storage", out var q) ? q.ToDecimal() : 0m;

    public static decimal Request(V1PersistentVolumeClaim claim) =>
        claim.Spec?.Resources?.Requests is { } r && r.TryGetValue("storage", out var q) ? q.ToDecimal() : 0m;
}
