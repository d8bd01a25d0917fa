using k8s;
using k8s.Models;
using KubeWeb.Core.Informers;
using KubeWeb.Core.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.Controllers.Tests.Runtime;

/// <summary>The controllers' shared informers against the real API: what they cache and what writing a cached copy back keeps.</summary>
public sealed class SharedInformerTests(BareServerFixture fixture) : IClassFixture<BareServerFixture>
{
    [Fact]
    public async Task SharedInformer_CachesObjectsWithoutManagedFields_AndACachedCopyWrittenBackKeepsTheStoredOnes()
    {
        var ns = "informer-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "listed" }, Data = new Dictionary<string, string> { ["k"] = "1", ["kept"] = "x" } }, ns, fieldManager: "creator");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var factory = new InformerFactory(new ResourceClient((Kubernetes)fixture.Client), ResourceRegistry.Default, TimeProvider.System, NullLoggerFactory.Instance);
        var informer = factory.For<V1ConfigMap>();
        factory.Start(cts.Token);
        await informer.WaitForSyncAsync(cts.Token);

        // Listed, then watched: neither keeps managedFields.
        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "watched" }, Data = new Dictionary<string, string> { ["k"] = "1" } }, ns, fieldManager: "creator");
        while (informer.Get(ns, "watched") is null)
        {
            await Task.Delay(20, cts.Token);
        }

        var listed = informer.Get(ns, "listed")!;
        Assert.Null(listed.Metadata.ManagedFields);
        Assert.Null(informer.Get(ns, "watched")!.Metadata.ManagedFields);
        Assert.Equal("1", listed.Data["k"]);

        // A controller's update of a copy of the cached object: the stored managers stay (the creator
        // still owns the key the controller left alone), the writer is added.
        var copy = KubernetesJson.Deserialize<V1ConfigMap>(KubernetesJson.Serialize(listed));
        copy.Data["k"] = "2";
        await fixture.Client.CoreV1.ReplaceNamespacedConfigMapAsync(copy, "listed", ns, fieldManager: "controller");
        var stored = await fixture.Client.CoreV1.ReadNamespacedConfigMapAsync("listed", ns);
        Assert.Equal("2", stored.Data["k"]);
        Assert.Contains(stored.Metadata.ManagedFields, m => m.Manager == "creator");
        Assert.Contains(stored.Metadata.ManagedFields, m => m.Manager == "controller");

        while (informer.Get(ns, "listed")!.Data["k"] != "2")
        {
            await Task.Delay(20, cts.Token);
        }

        Assert.Null(informer.Get(ns, "listed")!.Metadata.ManagedFields);
        await cts.CancelAsync();
    }
}
