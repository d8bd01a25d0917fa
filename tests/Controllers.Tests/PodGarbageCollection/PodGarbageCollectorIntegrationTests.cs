using k8s;
using k8s.Autorest;
using k8s.Models;
using static KubeWeb.Controllers.Tests.Polling;

namespace KubeWeb.Controllers.Tests.PodGarbageCollection;

/// <summary>The pod GC in the real server: nodes are plain Node objects with no agent behind them.</summary>
[Trait("Category", "Integration")]
public sealed class PodGarbageCollectorIntegrationTests(PodGcServerFixture fixture) : IClassFixture<PodGcServerFixture>
{
    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task PodsOfADeletedNode_AreMarkedFailed_ThenForceDeleted_AndOthersStay()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "gc-");
        await Client.CoreV1.CreateNodeAsync(Node(ns + "-gone"));
        await Client.CoreV1.CreateNodeAsync(Node(ns + "-kept"));
        // A finalizer keeps the orphan readable after the pod GC deletes it, to see how it left.
        var orphan = Pod("orphan", ns + "-gone");
        orphan.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedPodAsync(orphan, ns);
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("never", ns + "-never-existed"), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("kept", ns + "-kept"), ns);
        await SetPhaseAsync(ns, "orphan", "Running");

        await Client.CoreV1.DeleteNodeAsync(ns + "-gone");
        var marked = await WaitForAsync(() => Client.CoreV1.ReadNamespacedPodAsync("orphan", ns), p => p.Metadata.DeletionTimestamp is not null);
        await WaitUntilAsync(() => ApiObjects.GoneAsync(() => Client.CoreV1.ReadNamespacedPodAsync("never", ns)));

        // Marked Failed, with upstream's condition, then force-deleted: nothing keeps saying Running.
        Assert.Equal("Failed", marked.Status.Phase);
        Assert.Equal(0, marked.Metadata.DeletionGracePeriodSeconds);
        var condition = marked.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "DeletionByPodGC", "PodGC: node no longer exists"), (condition.Status, condition.Reason, condition.Message));
        await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "orphan", ns);
        await WaitUntilAsync(() => ApiObjects.GoneAsync(() => Client.CoreV1.ReadNamespacedPodAsync("orphan", ns)));

        var kept = await Client.CoreV1.ReadNamespacedPodAsync("kept", ns);
        Assert.Null(kept.Metadata.DeletionTimestamp);
        Assert.NotEqual("Failed", kept.Status.Phase);
        await Client.CoreV1.DeleteNodeAsync(ns + "-kept");
    }

    [Fact]
    public async Task TerminatedPods_OverTheThreshold_AreDeleted_OldestFirst()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "gc-");
        await Client.CoreV1.CreateNodeAsync(Node(ns + "-n"));
        foreach (var name in new[] { "t-1", "t-2", "t-3", "t-4", "t-5", "running" })
        {
            await Client.CoreV1.CreateNamespacedPodAsync(Pod(name, ns + "-n"), ns);
        }

        await SetPhaseAsync(ns, "running", "Running");
        foreach (var name in new[] { "t-1", "t-2", "t-3", "t-4", "t-5" })
        {
            await SetPhaseAsync(ns, name, "Succeeded");
        }

        await WaitUntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count == PodGcServerFixture.Threshold + 1);
        var left = (await Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["running", "t-3", "t-4", "t-5"], left);
        await Client.CoreV1.DeleteCollectionNamespacedPodAsync(ns, gracePeriodSeconds: 0);
        await Client.CoreV1.DeleteNodeAsync(ns + "-n");
    }

    [Fact]
    public async Task TerminatingPods_OnAnOutOfServiceNode_AreForceDeleted()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "gc-");
        var node = ns + "-oos";
        await Client.CoreV1.CreateNodeAsync(Node(node));
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("stuck", node), ns);
        await SetPhaseAsync(ns, "stuck", "Running");

        // No kubelet will ever confirm the graceful deletion.
        await Client.CoreV1.DeleteNamespacedPodAsync("stuck", ns, gracePeriodSeconds: 600);
        await Task.Delay(1000);
        Assert.NotNull((await Client.CoreV1.ReadNamespacedPodAsync("stuck", ns)).Metadata.DeletionTimestamp);

        // The operator declares the node out of service (it is down, and known to be).
        await Client.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletDown"}]}}""",
            V1Patch.PatchType.StrategicMergePatch), node);
        await Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"taints":[{"key":"node.kubernetes.io/out-of-service","value":"nodeshutdown","effect":"NoExecute"}]}}""",
            V1Patch.PatchType.MergePatch), node);
        await WaitUntilAsync(() => ApiObjects.GoneAsync(() => Client.CoreV1.ReadNamespacedPodAsync("stuck", ns)));
        await Client.CoreV1.DeleteNodeAsync(node);
    }

    [Fact]
    public async Task UnscheduledTerminatingPods_AreMarkedFailed_AndForceDeleted()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "gc-");
        var pod = Pod("pending", nodeName: null);
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["no-such-label"] = "x" };
        pod.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        await Client.CoreV1.DeleteNamespacedPodAsync("pending", ns, gracePeriodSeconds: 600);
        var failed = await WaitForAsync(() => Client.CoreV1.ReadNamespacedPodAsync("pending", ns), p => p.Status?.Phase == "Failed");
        Assert.Equal(0, failed.Metadata.DeletionGracePeriodSeconds);

        await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "pending", ns);
        await WaitUntilAsync(() => ApiObjects.GoneAsync(() => Client.CoreV1.ReadNamespacedPodAsync("pending", ns)));
    }

    private async Task SetPhaseAsync(string ns, string name, string phase) =>
        await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new { status = new { phase } }, V1Patch.PatchType.MergePatch), name, ns);

    private static V1Node Node(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady" }] },
    };

    private static V1Pod Pod(string name, string? nodeName) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };
}
