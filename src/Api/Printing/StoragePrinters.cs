using k8s.Models;

namespace KubeWeb.Api.Printing;

/// <summary>Access modes and storage classes as the volume columns show them.</summary>
internal static class VolumeCells
{
    private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    /// <summary>"RWO,ROX,RWX,RWOP" in that fixed order, each at most once.</summary>
    public static string AccessModes(IList<string>? modes)
    {
        var present = modes ?? [];
        string[][] order = [["ReadWriteOnce", "RWO"], ["ReadOnlyMany", "ROX"], ["ReadWriteMany", "RWX"], ["ReadWriteOncePod", "RWOP"]];
        return string.Join(",", order.Where(m => present.Contains(m[0])).Select(m => m[1]));
    }

    /// <summary>The beta annotation, when present, overrides storageClassName.</summary>
    public static string StorageClass(V1ObjectMeta? meta, string? storageClassName) =>
        meta?.Annotations is { } a && a.TryGetValue(BetaStorageClassAnnotation, out var annotated) ? annotated : storageClassName ?? "";
}

/// <summary>NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE, wide VOLUMEMODE.</summary>
internal sealed class PersistentVolumePrinter : TablePrinter<V1PersistentVolume>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
        Col.Text("Access Modes", "accessModes contains all ways the volume can be mounted."),
        Col.Text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
        Col.Text("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
        Col.Text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
        Col.Text("StorageClass", "StorageClass of the pv"),
        Col.Text("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
        Col.Text("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        Col.Age(),
        Col.Wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."),
    ];

    protected override object?[] Row(V1PersistentVolume pv, DateTimeOffset now)
    {
        var spec = pv.Spec ?? new V1PersistentVolumeSpec();
        var claim = spec.ClaimRef is { } r ? $"{r.NamespaceProperty}/{r.Name}" : "";
        var phase = pv.Metadata?.DeletionTimestamp is not null ? "Terminating" : pv.Status?.Phase ?? "";
        return
        [
            Cell.Name(pv),
            Cell.Quantity(spec.Capacity, "storage"),
            VolumeCells.AccessModes(spec.AccessModes),
            spec.PersistentVolumeReclaimPolicy ?? "",
            phase,
            claim,
            VolumeCells.StorageClass(pv.Metadata, spec.StorageClassName),
            spec.VolumeAttributesClassName ?? Cell.Unset,
            pv.Status?.Reason ?? "",
            Cell.Age(pv, now),
            spec.VolumeMode ?? Cell.Unset,
        ];
    }
}

/// <summary>NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE, wide VOLUMEMODE.</summary>
internal sealed class PersistentVolumeClaimPrinter : TablePrinter<V1PersistentVolumeClaim>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Status", "phase represents the current phase of PersistentVolumeClaim."),
        Col.Text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        Col.Text("Capacity", "capacity represents the actual resources of the underlying volume."),
        Col.Text("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
        Col.Text("StorageClass", "StorageClass of the pvc"),
        Col.Text("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
        Col.Age(),
        Col.Wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."),
    ];

    protected override object?[] Row(V1PersistentVolumeClaim pvc, DateTimeOffset now)
    {
        var spec = pvc.Spec ?? new V1PersistentVolumeClaimSpec();
        var bound = !string.IsNullOrEmpty(spec.VolumeName);
        return
        [
            Cell.Name(pvc),
            pvc.Metadata?.DeletionTimestamp is not null ? "Terminating" : pvc.Status?.Phase ?? "",
            spec.VolumeName ?? "",

            // Capacity and access modes are only those of a bound volume.
            bound ? Cell.Quantity(pvc.Status?.Capacity, "storage") : "",
            bound ? VolumeCells.AccessModes(pvc.Status?.AccessModes) : "",
            VolumeCells.StorageClass(pvc.Metadata, spec.StorageClassName),
            spec.VolumeAttributesClassName ?? Cell.Unset,
            Cell.Age(pvc, now),
            spec.VolumeMode ?? Cell.Unset,
        ];
    }
}

/// <summary>NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class is marked.</summary>
internal sealed class StorageClassPrinter : TablePrinter<V1StorageClass>
{
    private static readonly string[] DefaultAnnotations =
        ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        Col.Name(),
        Col.Text("Provisioner", "provisioner indicates the type of the provisioner."),
        Col.Text("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
        Col.Text("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used."),
        Col.Text("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
        Col.Age(),
    ];

    protected override object?[] Row(V1StorageClass sc, DateTimeOffset now)
    {
        var annotations = sc.Metadata?.Annotations ?? new Dictionary<string, string>();
        var isDefault = DefaultAnnotations.Any(a => annotations.TryGetValue(a, out var v) && v == "true");
        return
        [
            isDefault ? Cell.Name(sc) + " (default)" : Cell.Name(sc),
            sc.Provisioner ?? "",
            sc.ReclaimPolicy ?? "Delete",
            sc.VolumeBindingMode ?? "Immediate",
            sc.AllowVolumeExpansion ?? false,
            Cell.Age(sc, now),
        ];
    }
}
