using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class StoragePrinterTests
{
    [Fact]
    public void BoundPersistentVolume()
    {
        var pv = new V1PersistentVolume
        {
            Metadata = Meta("pv-1", ns: null),
            Spec = new()
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") },
                AccessModes = ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                PersistentVolumeReclaimPolicy = "Retain",
                ClaimRef = new() { NamespaceProperty = "default", Name = "data" },
                StorageClassName = "standard",
                VolumeMode = "Filesystem",
            },
            Status = new() { Phase = "Bound" },
        };

        Assert.Equal(
            ["pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>", "", "10m", "Filesystem"],
            new PersistentVolumePrinter().Cells(pv, Now));
    }

    [Fact]
    public void PendingClaim_HasNoCapacityOrModesYet_AndTheBetaAnnotationWinsTheClass()
    {
        var pvc = new V1PersistentVolumeClaim
        {
            Metadata = Meta("data"),
            Spec = new() { AccessModes = ["ReadWriteOnce"], StorageClassName = "fast" },
            Status = new() { Phase = "Pending" },
        };
        pvc.Metadata.Annotations = new Dictionary<string, string> { ["volume.beta.kubernetes.io/storage-class"] = "legacy" };

        Assert.Equal(["data", "Pending", "", "", "", "legacy", "<unset>", "10m", "<unset>"], new PersistentVolumeClaimPrinter().Cells(pvc, Now));
    }

    [Fact]
    public void DefaultStorageClass_IsMarkedAndDefaultsAreFilledIn()
    {
        var sc = new V1StorageClass
        {
            Metadata = Meta("standard", ns: null),
            Provisioner = "rancher.io/local-path",
            VolumeBindingMode = "WaitForFirstConsumer",
        };
        sc.Metadata.Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" };

        Assert.Equal(
            ["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "10m"],
            new StorageClassPrinter().Cells(sc, Now));
    }
}
