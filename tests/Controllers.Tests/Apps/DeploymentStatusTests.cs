using k8s.Models;
using KubeWeb.Controllers.Apps;

namespace KubeWeb.Controllers.Tests.Apps;

public class DeploymentStatusTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Deployment Deployment(int replicas)
    {
        var d = DeploymentMathTests.Deployment(replicas);
        d.Spec.ProgressDeadlineSeconds = 600;
        return d;
    }

    [Fact]
    public void Complete_WhenAllUpdatedAndAvailable()
    {
        var d = Deployment(2);
        var newRS = DeploymentMathTests.ReplicaSet("web-abc", 2, available: 2);
        newRS.Status.ReadyReplicas = 2;

        var status = DeploymentReconciler.ComputeRolloutStatus(d, [newRS], newRS, Now);

        Assert.Equal((2, 2, 2, 2, 0), (status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas));
        Assert.Equal(1, status.ObservedGeneration);
        var progressing = DeploymentConditions.Get(status, DeploymentConditions.Progressing)!;
        Assert.Equal(("True", "NewReplicaSetAvailable", "ReplicaSet \"web-abc\" has successfully progressed."), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Equal("MinimumReplicasAvailable", DeploymentConditions.Get(status, DeploymentConditions.Available)!.Reason);
    }

    [Fact]
    public void MidRollout_ReportsProgressAndMinimumAvailability()
    {
        var d = Deployment(4); // maxUnavailable 1
        var old = DeploymentMathTests.ReplicaSet("web-old", 3, available: 3, minutesOld: 5);
        var newRS = DeploymentMathTests.ReplicaSet("web-new", 2, available: 0);

        var status = DeploymentReconciler.ComputeRolloutStatus(d, [old, newRS], newRS, Now);

        Assert.Equal((5, 2, 3, 2), (status.Replicas, status.UpdatedReplicas, status.AvailableReplicas, status.UnavailableReplicas));
        Assert.Equal("ReplicaSetUpdated", DeploymentConditions.Get(status, DeploymentConditions.Progressing)!.Reason);
        Assert.Equal("True", DeploymentConditions.Get(status, DeploymentConditions.Available)!.Status);
    }

    [Fact]
    public void NoProgressPastTheDeadline_IsProgressDeadlineExceeded()
    {
        var d = Deployment(2);
        var newRS = DeploymentMathTests.ReplicaSet("web-new", 2, available: 0);
        d.Status = DeploymentReconciler.ComputeRolloutStatus(d, [newRS], newRS, Now.AddMinutes(-20));
        var stale = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing)!;
        Assert.Equal("ReplicaSetUpdated", stale.Reason);

        var status = DeploymentReconciler.ComputeRolloutStatus(d, [newRS], newRS, Now);

        var progressing = DeploymentConditions.Get(status, DeploymentConditions.Progressing)!;
        Assert.Equal(("False", "ProgressDeadlineExceeded"), (progressing.Status, progressing.Reason));
        Assert.Equal(("False", "MinimumReplicasUnavailable"), (DeploymentConditions.Get(status, DeploymentConditions.Available)!.Status,
            DeploymentConditions.Get(status, DeploymentConditions.Available)!.Reason));
    }

    [Fact]
    public void NewReplicaSetAnnotations_BumpRevisionAndCopyChangeCause()
    {
        var d = Deployment(3);
        d.Metadata.Annotations = new Dictionary<string, string>
        {
            [DeploymentRevisions.ChangeCauseAnnotation] = "kubectl set image",
            [DeploymentRevisions.RevisionAnnotation] = "2",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
        };
        var rs = DeploymentMathTests.ReplicaSet("web-1", 0);
        rs.Metadata.Annotations = new Dictionary<string, string> { [DeploymentRevisions.RevisionAnnotation] = "1" };

        Assert.True(DeploymentRevisions.SetNewReplicaSetAnnotations(d, rs, 3, exists: true));

        Assert.Equal("3", rs.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
        Assert.Equal("1", rs.Metadata.Annotations[DeploymentRevisions.RevisionHistoryAnnotation]);
        Assert.Equal("kubectl set image", rs.Metadata.Annotations[DeploymentRevisions.ChangeCauseAnnotation]);
        Assert.False(rs.Metadata.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
        Assert.False(DeploymentRevisions.SetNewReplicaSetAnnotations(d, rs, 3, exists: true));
    }

    [Fact]
    public void FindNewReplicaSet_MatchesTemplateIgnoringHash()
    {
        var d = Deployment(1);
        d.Spec.Template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx:2" }] },
        };
        var current = DeploymentMathTests.ReplicaSet("web-b", 1);
        current.Spec.Template = PodTemplateHash.WithHash(d.Spec.Template, "b");
        var other = DeploymentMathTests.ReplicaSet("web-a", 1, minutesOld: 3);
        other.Spec.Template = PodTemplateHash.WithHash(d.Spec.Template, "a");
        other.Spec.Template.Spec.Containers[0].Image = "nginx:1";

        Assert.Same(current, DeploymentReconciler.FindNewReplicaSet(d, [other, current]));
    }
}
