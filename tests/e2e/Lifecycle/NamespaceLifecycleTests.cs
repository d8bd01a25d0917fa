using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeWeb.E2E.Lifecycle;

[Trait("Category", "E2E")]
public sealed class NamespaceLifecycleTests(LifecycleServer fixture) : IClassFixture<LifecycleServer>
{
    private readonly Kubernetes _k = fixture.Client;

    [Fact]
    public async Task DeletingNamespace_RemovesContentsThenNamespace()
    {
        await _k.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "gone-soon" } });
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "gone-soon");
        await _k.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, "gone-soon");

        await _k.CoreV1.DeleteNamespaceAsync("gone-soon");
        Assert.True(await LifecycleServer.EventuallyAsync(async () => !await NamespaceExistsAsync("gone-soon")));
    }

    [Fact]
    public async Task NamespaceWithFinalizedContent_StaysTerminating_AndSaysWhy()
    {
        await _k.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "held" } });
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "stuck", Finalizers = ["example.com/hold"] } }, "held");
        await _k.CoreV1.DeleteNamespaceAsync("held");

        Assert.True(await LifecycleServer.EventuallyAsync(async () =>
        {
            var ns = await _k.CoreV1.ReadNamespaceAsync("held");
            return ns.Status?.Phase == "Terminating" && ns.Status?.Conditions?.Any(c => c.Type == "NamespaceFinalizersRemaining" && c.Status == "True" && c.Message.Contains("example.com/hold", StringComparison.Ordinal) &&
                c.Message.Contains("configmaps/stuck", StringComparison.Ordinal)) == true;
        }), "the namespace should name the finalizer that holds it");

        var patch = new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(patch, "stuck", "held");
        Assert.True(await LifecycleServer.EventuallyAsync(async () => !await NamespaceExistsAsync("held")));
    }

    [Fact]
    public async Task CreatingInTerminatingNamespace_IsForbidden()
    {
        await _k.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "closing" } });
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "pin", Finalizers = ["example.com/hold"] } }, "closing");
        await _k.CoreV1.DeleteNamespaceAsync("closing");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "closing"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.Response.StatusCode);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "pin", "closing");
    }

    [Fact]
    public async Task NewNamespace_GetsDefaultServiceAccountAndRootCa()
    {
        await _k.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "fresh" } });
        Assert.True(await LifecycleServer.EventuallyAsync(async () =>
        {
            var accounts = await _k.CoreV1.ListNamespacedServiceAccountAsync("fresh");
            var maps = await _k.CoreV1.ListNamespacedConfigMapAsync("fresh");
            return accounts.Items.Any(a => a.Metadata.Name == "default") &&
                   maps.Items.Any(m => m.Metadata.Name == "kube-root-ca.crt" && m.Data["ca.crt"].Contains("BEGIN CERTIFICATE", StringComparison.Ordinal));
        }));
    }

    private async Task<bool> NamespaceExistsAsync(string name)
    {
        try
        {
            await _k.CoreV1.ReadNamespaceAsync(name);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
