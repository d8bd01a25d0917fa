using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeWeb.Controllers.Tests.Apps;
using KubeWeb.Controllers.Volumes;
using static KubeWeb.Controllers.Tests.Polling;

namespace KubeWeb.Controllers.Tests.Volumes;

/// <summary>The PV controller in the real server (binder, reclaim, protection, local-path provisioner), no nodes.</summary>
[Trait("Category", "Integration")]
public class PersistentVolumeControllerIntegrationTests(AppsServerFixture fixture) : IClassFixture<AppsServerFixture>
{
    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task StaticVolume_BindsToTheBestClaim_ThenIsReleasedAndKept_WithRetain()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "v-");
        var cls = "manual-" + ns;
        await Client.CoreV1.CreatePersistentVolumeAsync(Volume(ns + "-big", "1Gi", cls));
        await Client.CoreV1.CreatePersistentVolumeAsync(Volume(ns + "-tiny", "100Mi", cls));
        var claim = await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data", "500Mi", cls), ns);
        Assert.Contains(PersistentVolumeController.PvcProtection, claim.Metadata.Finalizers);

        var bound = await WaitForAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", ns), c => c.Status?.Phase == "Bound");
        Assert.Equal(ns + "-big", bound.Spec.VolumeName);
        Assert.Equal("1Gi", bound.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], bound.Status.AccessModes);
        Assert.Equal("yes", bound.Metadata.Annotations[PersistentVolumeController.BindCompleted]);
        Assert.Equal("yes", bound.Metadata.Annotations[PersistentVolumeController.BoundByController]);
        var pv = await WaitForAsync(() => Client.CoreV1.ReadPersistentVolumeAsync(ns + "-big"), v => v.Status?.Phase == "Bound");
        Assert.Equal((claim.Metadata.Uid, "data", ns), (pv.Spec.ClaimRef.Uid, pv.Spec.ClaimRef.Name, pv.Spec.ClaimRef.NamespaceProperty));
        Assert.Contains(PersistentVolumeController.PvProtection, pv.Metadata.Finalizers);
        Assert.Equal("Available", (await Client.CoreV1.ReadPersistentVolumeAsync(ns + "-tiny")).Status.Phase);

        await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("data", ns);
        await WaitUntilAsync(async () => await ApiObjects.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", ns)));
        var released = await WaitForAsync(() => Client.CoreV1.ReadPersistentVolumeAsync(ns + "-big"), v => v.Status?.Phase == "Released");
        Assert.Null(released.Metadata.DeletionTimestamp);

        // pv-protection lets an unbound volume go.
        await Client.CoreV1.DeletePersistentVolumeAsync(ns + "-tiny");
        await WaitUntilAsync(async () => await ApiObjects.GoneAsync(() => Client.CoreV1.ReadPersistentVolumeAsync(ns + "-tiny")));
    }

    [Fact]
    public async Task ClaimUsedByAPod_StaysTerminating_UntilThePodIsGone()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "v-");
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("used", "1Gi", "none-" + ns), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "user" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "c", Image = "busybox" }],
                Volumes = [new V1Volume { Name = "d", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "used" } }],
            },
        }, ns);

        await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("used", ns);
        var terminating = await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("used", ns);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        // Still there after the controller has had its chance.
        await Task.Delay(1000);
        Assert.Contains(PersistentVolumeController.PvcProtection, (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("used", ns)).Metadata.Finalizers);

        await Client.CoreV1.DeleteNamespacedPodAsync("user", ns, gracePeriodSeconds: 0);
        await WaitUntilAsync(async () => await ApiObjects.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("used", ns)));
    }

    [Fact]
    public async Task DefaultClass_WaitsForAConsumer_ThenProvisionsALocalVolumeOnTheSelectedNode()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "v-");
        var claim = Claim("cache", "2Gi", null);
        var created = await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, ns);
        Assert.Equal("local-path", created.Spec.StorageClassName);
        await WaitUntilAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e => e.Reason == "WaitForFirstConsumer"));
        Assert.Equal("Pending", (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("cache", ns)).Status.Phase);

        await Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch(new { metadata = new { annotations = new Dictionary<string, string> { [PersistentVolumeController.SelectedNode] = "node-a" } } }, V1Patch.PatchType.MergePatch), "cache", ns);
        var bound = await WaitForAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("cache", ns), c => c.Status?.Phase == "Bound");
        Assert.Equal("pvc-" + created.Metadata.Uid, bound.Spec.VolumeName);
        Assert.Equal(PersistentVolumeController.LocalPathProvisioner, bound.Metadata.Annotations[PersistentVolumeController.StorageProvisioner]);
        var pv = await Client.CoreV1.ReadPersistentVolumeAsync(bound.Spec.VolumeName);
        Assert.EndsWith("/storage/" + pv.Metadata.Name, pv.Spec.HostPath.Path, StringComparison.Ordinal);
        Assert.Equal("node-a", pv.Spec.NodeAffinity.Required.NodeSelectorTerms[0].MatchExpressions[0].Values[0]);
        Assert.Equal(("Delete", "local-path"), (pv.Spec.PersistentVolumeReclaimPolicy, pv.Spec.StorageClassName));

        // Delete: the volume goes too; without an agent on node-a its cleanup finalizer holds it.
        await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("cache", ns);
        // pv-protection lets go in a write of its own after the deletion mark: wait for it, then only the cleanup finalizer holds the volume.
        var deleting = await WaitForAsync(() => Client.CoreV1.ReadPersistentVolumeAsync(pv.Metadata.Name),
            v => v.Metadata.DeletionTimestamp is not null && v.Metadata.Finalizers?.Contains(PersistentVolumeController.PvProtection) != true);
        Assert.Equal([PersistentVolumeController.LocalPathCleanup], deleting.Metadata.Finalizers);
        Assert.Equal("Released", deleting.Status.Phase);
    }

    private static V1PersistentVolume Volume(string name, string size, string cls) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = cls,
            PersistentVolumeReclaimPolicy = "Retain",
            HostPath = new V1HostPathVolumeSource { Path = "/tmp/" + name },
        },
    };

    private static V1PersistentVolumeClaim Claim(string name, string size, string? cls) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = cls,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
    };
}
