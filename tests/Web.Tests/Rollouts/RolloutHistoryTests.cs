using System.Text.Json.Nodes;
using KubeWeb.Web.Rollouts;

namespace KubeWeb.Web.Tests.Rollouts;

public sealed class RolloutHistoryTests
{
    [Fact]
    public void For_ListsOnlyControlledReplicaSets_ByRevision_AndMarksTheCurrentTemplate()
    {
        var d = Objects.Deployment("nginx:1.28", revision: 2);
        var history = RolloutHistory.For(d,
        [
            Objects.ReplicaSet("web-bbb", "nginx:1.28", 2, changeCause: "image 1.28", ready: 2),
            Objects.ReplicaSet("web-aaa", "nginx:1.27", 1),
            Objects.ReplicaSet("other-ccc", "nginx:1.27", 5, ownerUid: "someone-else"),
        ]);

        Assert.Equal([1L, 2L], history.Select(r => r.Number));
        Assert.Equal("image 1.28", history[1].ChangeCause);
        Assert.True(history[1].Current);
        Assert.False(history[0].Current);
        Assert.Null(history[0].Template["metadata"]!["labels"]!["pod-template-hash"]);
    }

    [Fact]
    public void Rollback_ToPrevious_IsKubectlsJsonPatch_WithoutTheHashLabel()
    {
        var d = Objects.Deployment("nginx:1.28", revision: 2);
        var plan = RolloutPatches.Rollback(d, [Objects.ReplicaSet("web-bbb", "nginx:1.28", 2), Objects.ReplicaSet("web-aaa", "nginx:1.27", 1)], 0);

        Assert.Null(plan.Error);
        Assert.Equal(1, plan.ToRevision);
        var patch = plan.Patch!;
        Assert.Equal("replace", (string?)patch[0]!["op"]);
        Assert.Equal("/spec/template", (string?)patch[0]!["path"]);
        var template = patch[0]!["value"]!;
        Assert.Equal("nginx:1.27", (string?)template["spec"]!["containers"]![0]!["image"]);
        Assert.False(template["metadata"]!["labels"]!.AsObject().ContainsKey("pod-template-hash"));
        Assert.Equal("/metadata/annotations", (string?)patch[1]!["path"]);
        var annotations = patch[1]!["value"]!.AsObject();
        // The deployment keeps its revision annotation (skipped set); its other annotations are replaced by the ReplicaSet's.
        Assert.Equal("2", (string?)annotations["deployment.kubernetes.io/revision"]);
        Assert.False(annotations.ContainsKey("team"));
    }

    [Fact]
    public void Rollback_Refuses_WhenPaused_OrWithoutHistory_AndSkips_WhenTheTemplateMatches()
    {
        var owned = new[] { Objects.ReplicaSet("web-bbb", "nginx:1.28", 2), Objects.ReplicaSet("web-aaa", "nginx:1.27", 1) };
        Assert.Contains("paused", RolloutPatches.Rollback(Objects.Deployment("nginx:1.28", 2, paused: true), owned, 0).Error, StringComparison.Ordinal);
        Assert.Contains("No rollout history", RolloutPatches.Rollback(Objects.Deployment("nginx:1.28", 2), [owned[0]], 0).Error, StringComparison.Ordinal);
        Assert.Contains("Unable to find revision 7", RolloutPatches.Rollback(Objects.Deployment("nginx:1.28", 2), owned, 7).Error, StringComparison.Ordinal);
        var skipped = RolloutPatches.Rollback(Objects.Deployment("nginx:1.28", 2), owned, 2);
        Assert.Null(skipped.Patch);
        Assert.Contains("already matches revision 2", skipped.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void Restart_StampsTheTemplateWithRestartedAt_InRfc3339()
    {
        var patch = RolloutPatches.Restart(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)));
        Assert.Equal("2026-03-04T03:06:07Z", (string?)patch["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
        Assert.Equal("""{"spec":{"paused":true}}""", RolloutPatches.Paused(true).ToJsonString());
    }
}
