using k8s.Models;
using KubeWeb.Api.Admission.Strategies;
using static KubeWeb.Api.Tests.Admission.StrategyTestKit;

namespace KubeWeb.Api.Tests.Admission;

public sealed class WorkloadStrategyTests
{
    private static readonly Dictionary<string, string> App = new() { ["app"] = "web" };

    private static V1Deployment NewDeployment(Dictionary<string, string>? selector = null) => new()
    {
        Metadata = Meta("web"),
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = selector ?? new Dictionary<string, string>(App) },
            Template = Template(new Dictionary<string, string>(App)),
        },
    };

    [Fact]
    public void Deployment_Create_FillsDefaults()
    {
        var d = NewDeployment();

        Assert.Empty(Create(new DeploymentStrategy(), d));

        Assert.Equal(1, d.Spec.Replicas);
        Assert.Equal("RollingUpdate", d.Spec.Strategy.Type);
        Assert.Equal("25%", d.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal("25%", d.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal(10, d.Spec.RevisionHistoryLimit);
        Assert.Equal(600, d.Spec.ProgressDeadlineSeconds);
        Assert.Equal("ClusterFirst", d.Spec.Template.Spec.DnsPolicy);
        Assert.Equal("IfNotPresent", d.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Deployment_SelectorNotMatchingTemplate_IsInvalid()
    {
        var d = NewDeployment(new Dictionary<string, string> { ["app"] = "other" });

        var error = Single(Create(new DeploymentStrategy(), d), "spec.template.metadata.labels");

        Assert.Equal("FieldValueInvalid", error.Reason);
        Assert.EndsWith("`selector` does not match template `labels`", error.Message);
    }

    [Fact]
    public void Deployment_TemplateWithoutImage_ReportsTemplatePath()
    {
        var d = NewDeployment();
        d.Spec.Template.Spec.Containers[0].Image = null;

        Assert.Equal("FieldValueRequired", Single(Create(new DeploymentStrategy(), d), "spec.template.spec.containers[0].image").Reason);
    }

    [Fact]
    public void Deployment_NegativeReplicasAndWrongRestartPolicy_AreRejected()
    {
        var d = NewDeployment();
        d.Spec.Replicas = -1;
        d.Spec.Template.Spec.RestartPolicy = "Never";

        var errors = Create(new DeploymentStrategy(), d);

        Assert.Equal("Invalid value: -1: must be greater than or equal to 0", Single(errors, "spec.replicas").Message);
        Assert.Equal("FieldValueNotSupported", Single(errors, "spec.template.spec.restartPolicy").Reason);
    }

    [Fact]
    public void Deployment_ChangingSelector_IsImmutable()
    {
        var strategy = new DeploymentStrategy();
        var old = NewDeployment();
        Create(strategy, old);
        var updated = Copy(old);
        updated.Spec.Selector.MatchLabels["tier"] = "front";
        updated.Spec.Template.Metadata.Labels["tier"] = "front";

        var error = Single(Update(strategy, updated, old), "spec.selector");

        Assert.Equal("FieldValueInvalid", error.Reason);
        Assert.EndsWith("field is immutable", error.Message);
    }

    [Fact]
    public void Deployment_ScalingAndImageChange_AreAllowed()
    {
        var strategy = new DeploymentStrategy();
        var old = NewDeployment();
        Create(strategy, old);
        var updated = Copy(old);
        updated.Spec.Replicas = 5;
        updated.Spec.Template.Spec.Containers[0].Image = "nginx:1.28";

        Assert.Empty(Update(strategy, updated, old));
        Assert.True(strategy.SpecChanged(updated, old));
    }

    [Fact]
    public void Deployment_SpecChanged_ComparesJsonNotEncodingOrder()
    {
        var strategy = new DeploymentStrategy();
        var old = NewDeployment();
        old.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        var reordered = Copy(old);
        reordered.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        var relabelled = Copy(old);
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["new"] = "label" };
        relabelled.Status = new V1DeploymentStatus { Replicas = 3 };
        var changed = Copy(old);
        changed.Spec.Template.Spec.NodeSelector["b"] = "3";
        var cleared = Copy(old);
        cleared.Spec = null;

        // The same map in another key order encodes differently but is the same spec.
        Assert.False(strategy.SpecChanged(reordered, old));
        Assert.False(strategy.SpecChanged(relabelled, old));
        Assert.True(strategy.SpecChanged(changed, old));
        Assert.True(strategy.SpecChanged(cleared, old));
        Assert.True(strategy.SpecChanged(old, cleared));
    }

    [Fact]
    public void ReplicaSet_DefaultsAndSelectableReplicas()
    {
        var strategy = new ReplicaSetStrategy();
        var rs = new V1ReplicaSet
        {
            Metadata = Meta("rs"),
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(App) }, Template = Template(new(App)) },
        };

        Assert.Empty(Create(strategy, rs));
        Assert.Equal(1, rs.Spec.Replicas);
        rs.Status = new V1ReplicaSetStatus { Replicas = 3 };
        Assert.Equal("3", strategy.GetField(rs, "status.replicas"));
    }

    [Fact]
    public void StatefulSet_DefaultsAndForbiddenUpdate()
    {
        var strategy = new StatefulSetStrategy();
        var sts = new V1StatefulSet
        {
            Metadata = Meta("db"),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = "db",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(App) },
                Template = Template(new(App)),
            },
        };

        Assert.Empty(Create(strategy, sts));
        Assert.Equal("OrderedReady", sts.Spec.PodManagementPolicy);
        Assert.Equal(("RollingUpdate", 0), (sts.Spec.UpdateStrategy.Type, sts.Spec.UpdateStrategy.RollingUpdate.Partition));
        Assert.Equal(("Retain", "Retain"), (sts.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted, sts.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled));
        Assert.Equal(10, sts.Spec.RevisionHistoryLimit);

        var updated = Copy(sts);
        updated.Spec.ServiceName = "other";
        Assert.Equal("FieldValueForbidden", Single(Update(strategy, updated, sts), "spec").Reason);
    }

    [Fact]
    public void DaemonSet_Defaults()
    {
        var ds = new V1DaemonSet
        {
            Metadata = Meta("agent"),
            Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(App) }, Template = Template(new(App)) },
        };

        Assert.Empty(Create(new DaemonSetStrategy(), ds));

        var rolling = ds.Spec.UpdateStrategy.RollingUpdate;
        Assert.Equal("RollingUpdate", ds.Spec.UpdateStrategy.Type);
        Assert.Equal(("1", "0"), (rolling.MaxUnavailable.Value, rolling.MaxSurge.Value));
        Assert.Equal(10, ds.Spec.RevisionHistoryLimit);
    }

    [Fact]
    public void DaemonSet_WithoutSelector_RequiresSelector()
    {
        var ds = new V1DaemonSet { Metadata = Meta("agent"), Spec = new V1DaemonSetSpec { Template = Template(new(App)) } };

        Assert.Equal("FieldValueRequired", Single(Create(new DaemonSetStrategy(), ds), "spec.selector").Reason);
    }
}
