using k8s.Models;

namespace KubeWeb.Api.Admission.Plugins;

/// <summary>
/// The DefaultStorageClass and StorageObjectInUseProtection admission plugins: a new claim that
/// does not mention a class gets the default one (an explicit <c>""</c> means "no class" and is
/// kept), and new claims and volumes carry the protection finalizer the PV controller removes once
/// nothing uses them.
/// </summary>
public static class StorageAdmission
{
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";
    public const string PvcProtection = "kubernetes.io/pvc-protection";
    public const string PvProtection = "kubernetes.io/pv-protection";

    public static void Apply(V1PersistentVolumeClaim claim, IEnumerable<V1StorageClass> classes)
    {
        claim.Spec ??= new V1PersistentVolumeClaimSpec();
        if (claim.Spec.StorageClassName is null && DefaultClass(classes) is { } name)
        {
            claim.Spec.StorageClassName = name;
        }

        AddFinalizer(claim.Metadata, PvcProtection);
    }

    public static void Apply(V1PersistentVolume volume) => AddFinalizer(volume.Metadata, PvProtection);

    /// <summary>The default class; with several, the newest wins (as upstream), then the name.</summary>
    public static string? DefaultClass(IEnumerable<V1StorageClass> classes) =>
        classes.Where(IsDefault)
            .OrderByDescending(c => c.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault()?.Metadata.Name;

    public static bool IsDefault(V1StorageClass c) =>
        c.Metadata?.Annotations is { } a
        && ((a.TryGetValue(DefaultClassAnnotation, out var v) && v == "true") || (a.TryGetValue(BetaDefaultClassAnnotation, out var b) && b == "true"));

    private static void AddFinalizer(V1ObjectMeta meta, string finalizer)
    {
        var list = meta.Finalizers ??= [];
        if (!list.Contains(finalizer))
        {
            list.Add(finalizer);
        }
    }
}
