using k8s.Models;
using KubeWeb.Controllers.Apps;

namespace KubeWeb.Controllers.Tests.Apps;

public class DeploymentMathTests
{
    internal static V1Deployment Deployment(int replicas, string surge = "25%", string unavailable = "25%", string type = "RollingUpdate") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Strategy = new V1DeploymentStrategy
            {
                Type = type,
                RollingUpdate = type == "RollingUpdate" ? new V1RollingUpdateDeployment { MaxSurge = surge, MaxUnavailable = unavailable } : null,
            },
            Template = new V1PodTemplateSpec(),
        },
        Status = new V1DeploymentStatus(),
    };

    internal static V1ReplicaSet ReplicaSet(string name, int replicas, int available = 0, int minutesOld = 0, string? maxReplicas = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(-minutesOld),
            Annotations = maxReplicas is null ? null : new Dictionary<string, string> { [DeploymentRevisions.MaxReplicasKey] = maxReplicas },
        },
        Spec = new V1ReplicaSetSpec { Replicas = replicas },
        Status = new V1ReplicaSetStatus { Replicas = replicas, AvailableReplicas = available },
    };

    [Theory]
    [InlineData("25%", "25%", 10, 3, 2)] // surge rounds up, unavailable down
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("0", "0%", 5, 0, 1)] // never both zero
    [InlineData("2", "1", 10, 2, 1)]
    [InlineData("50%", "33%", 3, 2, 0)]
    public void ResolveFenceposts_RoundsAsUpstream(string surge, string unavailable, int desired, int wantSurge, int wantUnavailable)
    {
        Assert.Equal((wantSurge, wantUnavailable), DeploymentMath.ResolveFenceposts(surge, unavailable, desired));
    }

    [Fact]
    public void MaxUnavailable_IsZeroForRecreateAndCappedAtReplicas()
    {
        Assert.Equal(0, DeploymentMath.MaxUnavailable(Deployment(4, type: "Recreate")));
        Assert.Equal(0, DeploymentMath.MaxSurge(Deployment(4, type: "Recreate")));
        Assert.Equal(2, DeploymentMath.MaxUnavailable(Deployment(2, unavailable: "5")));
        Assert.Equal(0, DeploymentMath.MaxUnavailable(Deployment(0)));
    }

    [Fact]
    public void NewRSNewReplicas_GrowsWithinSurge()
    {
        var d = Deployment(4); // surge 1
        var old = ReplicaSet("old", 4, 4);
        var fresh = ReplicaSet("new", 0);

        Assert.Equal(1, DeploymentMath.NewRSNewReplicas(d, [old, fresh], fresh));

        var grown = ReplicaSet("new", 1);
        Assert.Equal(1, DeploymentMath.NewRSNewReplicas(d, [old, grown], grown)); // at 5 = 4 + 1 already
        Assert.Equal(4, DeploymentMath.NewRSNewReplicas(Deployment(4, type: "Recreate"), [old, fresh], fresh));
    }

    [Fact]
    public void Proportion_SplitsByAnnotatedSize()
    {
        // 10 replicas + 3 surge = 13 allowed, previously 10 + 3 = 13 max; scaling to 20 (+5 surge = 25).
        var d = Deployment(20);
        var big = ReplicaSet("a", 8, maxReplicas: "13");
        var small = ReplicaSet("b", 5, maxReplicas: "13");
        var toAdd = 25 - 13;

        var first = DeploymentMath.Proportion(big, d, toAdd, 0);
        var second = DeploymentMath.Proportion(small, d, toAdd, first);

        Assert.Equal(7, first);  // round(8 * 25 / 13) = 15 -> +7
        Assert.Equal(5, second); // round(5 * 25 / 13) = 10 -> +5, capped at 12 - 7
    }

    [Fact]
    public void Proportion_ScalingToZeroTakesEverything()
    {
        var d = Deployment(0);
        Assert.Equal(-3, DeploymentMath.Proportion(ReplicaSet("a", 3), d, -5, 0));
    }

    [Fact]
    public void ReplicaSetOrders_MatchUpstream()
    {
        var older = ReplicaSet("x", 2, minutesOld: 10);
        var newer = ReplicaSet("y", 2, minutesOld: 1);
        var bigger = ReplicaSet("z", 5, minutesOld: 5);

        Assert.Equal(["x", "z", "y"], ReplicaSetOrder.Sorted([bigger, newer, older], ReplicaSetOrder.ByCreation).Select(r => r.Metadata.Name));
        Assert.Equal(["z", "x", "y"], ReplicaSetOrder.Sorted([newer, older, bigger], ReplicaSetOrder.BySizeOlder).Select(r => r.Metadata.Name));
        Assert.Equal(["z", "y", "x"], ReplicaSetOrder.Sorted([older, newer, bigger], ReplicaSetOrder.BySizeNewer).Select(r => r.Metadata.Name));
    }
}
