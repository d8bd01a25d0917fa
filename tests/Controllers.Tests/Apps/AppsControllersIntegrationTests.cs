using k8s;
using k8s.Models;
using KubeWeb.Controllers.Apps;
using static KubeWeb.Controllers.Tests.Polling;

namespace KubeWeb.Controllers.Tests.Apps;

[Trait("Category", "Integration")]
public class AppsControllersIntegrationTests(AppsServerFixture fixture) : IClassFixture<AppsServerFixture>
{
    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task ReplicaSet_CreatesOwnedPods_AndReplacesADeletedOne()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await using var kubelet = new FakeKubelet(Client, ns);
        await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("frontend", 3), ns);

        var pods = await WaitForPodsAsync(ns, "app=frontend", 3);
        Assert.All(pods, p =>
        {
            Assert.StartsWith("frontend-", p.Metadata.Name, StringComparison.Ordinal);
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal(("ReplicaSet", "frontend", true, true), (owner.Kind, owner.Name, owner.Controller, owner.BlockOwnerDeletion));
        });

        var victim = pods[0].Metadata.Name;
        await Client.CoreV1.DeleteNamespacedPodAsync(victim, ns);
        await WaitUntilAsync(async () =>
        {
            var now = await PodsAsync(ns, "app=frontend");
            return now.Count == 3 && now.All(p => p.Metadata.Name != victim);
        });

        var rs = await WaitForAsync(() => Client.AppsV1.ReadNamespacedReplicaSetAsync("frontend", ns),
            r => r.Status?.ReadyReplicas == 3 && r.Status.AvailableReplicas == 3);
        Assert.Equal((3, 3, 1L), (rs.Status.Replicas, rs.Status.FullyLabeledReplicas ?? 0, rs.Status.ObservedGeneration ?? 0));
    }

    [Fact]
    public async Task ReplicaSet_AdoptsMatchingOrphans_AndReleasesPodsThatStopMatching()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "orphan", Labels = new Dictionary<string, string> { ["app"] = "adopt" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
        }, ns);
        var created = await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("adopt", 2), ns);

        await WaitForPodsAsync(ns, "app=adopt", 2);
        var orphan = await WaitForAsync(() => Client.CoreV1.ReadNamespacedPodAsync("orphan", ns), p => p.Metadata.OwnerReferences?.Count == 1);
        Assert.Equal(created.Metadata.Uid, orphan.Metadata.OwnerReferences[0].Uid);

        var patch = new V1Patch("""{"metadata":{"labels":{"app":"gone"}}}""", V1Patch.PatchType.MergePatch);
        await Client.CoreV1.PatchNamespacedPodAsync(patch, "orphan", ns);

        var released = await WaitForAsync(() => Client.CoreV1.ReadNamespacedPodAsync("orphan", ns), p => p.Metadata.OwnerReferences is null or { Count: 0 });
        Assert.Equal("gone", released.Metadata.Labels["app"]);
        await WaitForPodsAsync(ns, "app=adopt", 2);
    }

    [Fact]
    public async Task ReplicaSet_ScaleDown_KeepsTheReadyPod()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await Client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("keep", 3), ns);
        var pods = await WaitForPodsAsync(ns, "app=keep", 3);
        var chosen = pods[1].Metadata.Name;
        await using (new FakeKubelet(Client, ns, p => p.Metadata.Name == chosen))
        {
            await WaitForAsync(() => Client.AppsV1.ReadNamespacedReplicaSetAsync("keep", ns), r => r.Status?.ReadyReplicas == 1);
        }

        await Client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "keep", ns);

        var left = await WaitForPodsAsync(ns, "app=keep", 1);
        Assert.Equal(chosen, left[0].Metadata.Name);
    }

    [Fact]
    public async Task Deployment_RollingUpdate_MovesToANewRevision()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await using var kubelet = new FakeKubelet(Client, ns);
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3, "nginx:1"), ns);

        var d = await WaitForCompleteAsync(ns, "web");
        var first = Assert.Single(await ReplicaSetsAsync(ns));
        var hash = first.Metadata.Labels[PodTemplateHash.Label];
        Assert.Equal("web-" + hash, first.Metadata.Name);
        Assert.Equal(hash, first.Spec.Selector.MatchLabels[PodTemplateHash.Label]);
        Assert.Equal("1", first.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
        Assert.Equal(("3", "4"), (first.Metadata.Annotations[DeploymentRevisions.DesiredReplicasAnnotation], first.Metadata.Annotations[DeploymentRevisions.MaxReplicasKey]));
        Assert.Equal("1", d.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
        Assert.Equal("NewReplicaSetAvailable", d.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        Assert.Equal("True", d.Status.Conditions.Single(c => c.Type == "Available").Status);
        await WaitUntilAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e =>
            e is { Reason: "ScalingReplicaSet", InvolvedObject.Kind: "Deployment" } && e.Message == $"Scaled up replica set {first.Metadata.Name} from 0 to 3"));

        await SetImageAsync(ns, "web", "nginx:2");
        d = await WaitForCompleteAsync(ns, "web");
        var sets = await ReplicaSetsAsync(ns);
        Assert.Equal(2, sets.Count);
        var current = sets.Single(s => s.Spec.Template.Spec.Containers[0].Image == "nginx:2");
        var old = sets.Single(s => s.Spec.Template.Spec.Containers[0].Image == "nginx:1");
        Assert.Equal(("2", 3, 0), (current.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation], current.Spec.Replicas ?? 0, old.Spec.Replicas ?? 0));
        Assert.Equal("2", d.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
        Assert.All(await PodsAsync(ns, "app=web"), p => Assert.Equal("nginx:2", p.Spec.Containers[0].Image));

        // Rolling back: the old template becomes the newest revision again.
        var patch = new V1Patch("""[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1"}]""", V1Patch.PatchType.JsonPatch);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "web", ns);
        d = await WaitForCompleteAsync(ns, "web");
        old = (await ReplicaSetsAsync(ns)).Single(s => s.Metadata.Name == old.Metadata.Name);
        Assert.Equal(("3", "1"), (old.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation], old.Metadata.Annotations[DeploymentRevisions.RevisionHistoryAnnotation]));
        Assert.Equal("3", d.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
    }

    [Fact]
    public async Task Deployment_Scale_ResizesTheReplicaSet_AndPausedStopsRollouts()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await using var kubelet = new FakeKubelet(Client, ns);
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", 2, "nginx:1"), ns);
        await WaitForCompleteAsync(ns, "api");

        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":true}}""", V1Patch.PatchType.MergePatch), "api", ns);
        await SetImageAsync(ns, "api", "nginx:2");
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "api", ns);

        var paused = await WaitForAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("api", ns),
            x => x.Status?.ObservedGeneration == x.Metadata.Generation && x.Status!.AvailableReplicas == 4);
        Assert.Equal("DeploymentPaused", paused.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        var only = Assert.Single(await ReplicaSetsAsync(ns));
        Assert.Equal((4, "4"), (only.Spec.Replicas ?? 0, only.Metadata.Annotations[DeploymentRevisions.DesiredReplicasAnnotation]));

        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":false}}""", V1Patch.PatchType.MergePatch), "api", ns);
        await WaitForCompleteAsync(ns, "api");
        var sets = await ReplicaSetsAsync(ns);
        Assert.Equal(4, sets.Single(s => s.Spec.Template.Spec.Containers[0].Image == "nginx:2").Spec.Replicas);
    }

    [Fact]
    public async Task Deployment_Recreate_ScalesOldToZeroBeforeTheNewOne()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await using var kubelet = new FakeKubelet(Client, ns);
        var d = Deployment("batch", 2, "nginx:1");
        d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, ns);
        await WaitForCompleteAsync(ns, "batch");

        await SetImageAsync(ns, "batch", "nginx:2");
        await WaitForCompleteAsync(ns, "batch");

        var sets = await ReplicaSetsAsync(ns);
        Assert.Equal(0, sets.Single(s => s.Spec.Template.Spec.Containers[0].Image == "nginx:1").Spec.Replicas);
        Assert.Equal(2, sets.Single(s => s.Spec.Template.Spec.Containers[0].Image == "nginx:2").Spec.Replicas);
    }

    [Fact]
    public async Task Deployment_RevisionHistoryLimit_DeletesOldReplicaSets()
    {
        var ns = await ApiObjects.NamespaceAsync(Client, "t-");
        await using var kubelet = new FakeKubelet(Client, ns);
        var d = Deployment("hist", 1, "nginx:1");
        d.Spec.RevisionHistoryLimit = 1;
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, ns);
        await WaitForCompleteAsync(ns, "hist");
        foreach (var image in new[] { "nginx:2", "nginx:3", "nginx:4" })
        {
            await SetImageAsync(ns, "hist", image);
            await WaitForCompleteAsync(ns, "hist");
        }

        await WaitUntilAsync(async () => (await ReplicaSetsAsync(ns)).Count == 2);
        var revisions = (await ReplicaSetsAsync(ns)).Select(s => s.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]).Order().ToList();
        Assert.Equal(["3", "4"], revisions);
    }

    private static V1PodTemplateSpec Template(string app, string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    private static V1ReplicaSet ReplicaSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, "nginx"),
        },
    };

    private static V1Deployment Deployment(string name, int replicas, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, image),
        },
    };

    private Task SetImageAsync(string ns, string name, string image) =>
        Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch($$"""[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"{{image}}"}]""", V1Patch.PatchType.JsonPatch), name, ns);

    /// <summary>kubectl rollout status's success rule.</summary>
    private Task<V1Deployment> WaitForCompleteAsync(string ns, string name) =>
        WaitForAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync(name, ns), d =>
            d.Status is { } s && s.ObservedGeneration >= d.Metadata.Generation && s.UpdatedReplicas == d.Spec.Replicas
            && s.Replicas == s.UpdatedReplicas && s.AvailableReplicas >= s.UpdatedReplicas
            && s.Conditions?.Any(c => c is { Type: "Progressing", Reason: "NewReplicaSetAvailable" }) == true);

    private async Task<List<V1ReplicaSet>> ReplicaSetsAsync(string ns) => [.. (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items];

    private async Task<List<V1Pod>> PodsAsync(string ns, string selector) =>
        [.. (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector)).Items.Where(p => p.Metadata.DeletionTimestamp is null)];

    private async Task<List<V1Pod>> WaitForPodsAsync(string ns, string selector, int count)
    {
        List<V1Pod> pods = [];
        await WaitUntilAsync(async () => (pods = await PodsAsync(ns, selector)).Count == count);

        // Still that many a moment later: no over-creation while informers catch up.
        await Task.Delay(500);
        Assert.Equal(count, (await PodsAsync(ns, selector)).Count);
        return pods;
    }
}
