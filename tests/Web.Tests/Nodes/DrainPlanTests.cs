using k8s.Models;
using KubeWeb.Web.Nodes;
using KubeWeb.Web.Tests.Rollouts;

namespace KubeWeb.Web.Tests.Nodes;

public sealed class DrainPlanTests
{
    [Fact]
    public void Plan_SkipsDaemonSetAndMirrorPods_EvictsManagedOnes_AndBlocksUnmanagedUnlessForced()
    {
        var mirror = Objects.Pod("static-web", null, null);
        mirror.Metadata.Annotations = new Dictionary<string, string> { [DrainPlan.MirrorAnnotation] = "x" };
        var pods = new[]
        {
            Objects.Pod("web-1", "ReplicaSet", "web-bbb"),
            Objects.Pod("agent-x", "DaemonSet", "agent"),
            mirror,
            Objects.Pod("loner", null, null),
            Objects.Pod("done", null, null, phase: "Succeeded"),
            Objects.Pod("elsewhere", "ReplicaSet", "web-bbb", node: "node-2"),
        };

        var plan = DrainPlan.Build("node-1", pods, force: false, deleteEmptyDirData: false);

        Assert.Equal(DrainAction.Evict, Action(plan, "web-1"));
        Assert.Equal(DrainAction.Skip, Action(plan, "agent-x"));
        Assert.Equal(DrainAction.Skip, Action(plan, "static-web"));
        Assert.Equal(DrainAction.Block, Action(plan, "loner"));
        Assert.Equal(DrainAction.Evict, Action(plan, "done"));
        Assert.DoesNotContain(plan.Items, i => i.Name == "elsewhere");
        Assert.Equal(DrainAction.Evict, Action(DrainPlan.Build("node-1", pods, force: true, deleteEmptyDirData: false), "loner"));
    }

    [Fact]
    public void Plan_BlocksEmptyDirPods_UntilLocalDataMayBeDeleted()
    {
        var pod = Objects.Pod("cache-1", "ReplicaSet", "cache-aaa");
        pod.Spec.Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }];
        Assert.Equal(DrainAction.Block, Action(DrainPlan.Build("node-1", [pod], false, false), "cache-1"));
        Assert.Equal(DrainAction.Evict, Action(DrainPlan.Build("node-1", [pod], false, true), "cache-1"));
    }

    private static DrainAction Action(DrainPlan plan, string name) => plan.Items.Single(i => i.Name == name).Action;
}
