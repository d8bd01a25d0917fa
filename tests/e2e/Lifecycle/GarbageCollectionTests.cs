using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeWeb.E2E.Lifecycle;

[Trait("Category", "E2E")]
public sealed class GarbageCollectionTests(LifecycleServer fixture) : IClassFixture<LifecycleServer>
{
    private readonly Kubernetes _k = fixture.Client;

    [Fact]
    public async Task DeletingOwner_Background_DeletesDependents()
    {
        var (owner, dependent) = await OwnerAndDependentAsync("bg");
        await _k.CoreV1.DeleteNamespacedConfigMapAsync(owner, "default", new V1DeleteOptions { PropagationPolicy = "Background" });
        Assert.True(await LifecycleServer.EventuallyAsync(async () => !await ExistsAsync(dependent)), "dependent should be garbage collected");
    }

    [Fact]
    public async Task DeletingOwner_Foreground_DeletesDependentsFirst()
    {
        var (owner, dependent) = await OwnerAndDependentAsync("fg");
        await _k.CoreV1.DeleteNamespacedConfigMapAsync(owner, "default", new V1DeleteOptions { PropagationPolicy = "Foreground" });
        Assert.True(await LifecycleServer.EventuallyAsync(async () => !await ExistsAsync(dependent) && !await ExistsAsync(owner)),
            "both owner and dependent should be gone");
    }

    [Fact]
    public async Task DeletingOwner_Orphan_KeepsDependentAndDropsReference()
    {
        var (owner, dependent) = await OwnerAndDependentAsync("orph");
        await _k.CoreV1.DeleteNamespacedConfigMapAsync(owner, "default", new V1DeleteOptions { PropagationPolicy = "Orphan" });
        Assert.True(await LifecycleServer.EventuallyAsync(async () => !await ExistsAsync(owner)), "owner should be deleted");
        var kept = await _k.CoreV1.ReadNamespacedConfigMapAsync(dependent, "default");
        Assert.True(kept.Metadata.OwnerReferences is null or { Count: 0 });
    }

    [Fact]
    public async Task DependentOfMissingOwner_IsDeleted()
    {
        var cm = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "dangling",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "never-existed", Uid = Guid.NewGuid().ToString() }],
            },
        };
        await _k.CoreV1.CreateNamespacedConfigMapAsync(cm, "default");
        Assert.True(await LifecycleServer.EventuallyAsync(async () => !await ExistsAsync("dangling")));
    }

    private async Task<(string Owner, string Dependent)> OwnerAndDependentAsync(string prefix)
    {
        var owner = await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = prefix + "-owner" } }, "default");
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = prefix + "-dep",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }],
            },
        }, "default");
        return (owner.Metadata.Name, prefix + "-dep");
    }

    private async Task<bool> ExistsAsync(string name)
    {
        try
        {
            await _k.CoreV1.ReadNamespacedConfigMapAsync(name, "default");
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
