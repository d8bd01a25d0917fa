using k8s.Models;
using KubeWeb.Controllers.Disruption;

namespace KubeWeb.Controllers.Tests.Disruption;

public sealed class BudgetMathTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("2", 10, 2)]
    [InlineData("50%", 5, 3)]
    [InlineData("10%", 1, 1)]
    [InlineData("0%", 7, 0)]
    [InlineData("100%", 7, 7)]
    public void Percentages_RoundUp_Counts_StayAsGiven(string value, int total, int expected) =>
        Assert.Equal(expected, BudgetMath.Scaled(value, total));

    [Fact]
    public void Healthy_AreReadyPods_NotDeleting_NorAwaitingAnEviction()
    {
        var pods = new[]
        {
            Pod("ready-a", ready: true),
            Pod("ready-b", ready: true),
            Pod("not-ready", ready: false),
            Pod("deleting", ready: true, deleting: true),
            Pod("evicted", ready: true),
        };
        var disrupted = new Dictionary<string, DateTime> { ["evicted"] = Now.AddSeconds(-5) };

        var status = BudgetMath.Status(Budget(generation: 3), pods, expected: 5, desiredHealthy: 1, disrupted, Now);

        Assert.Equal(2, status.CurrentHealthy);
        Assert.Equal(1, status.DesiredHealthy);
        Assert.Equal(5, status.ExpectedPods);
        Assert.Equal(1, status.DisruptionsAllowed);
        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(["evicted"], status.DisruptedPods.Keys);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal(("DisruptionAllowed", "True", "SufficientPods"), (condition.Type, condition.Status, condition.Reason));
    }

    [Fact]
    public void NoHeadroom_AllowsNothing_AndNeverGoesNegative()
    {
        var status = BudgetMath.Status(Budget(), [Pod("a", ready: true)], expected: 3, desiredHealthy: 2, [], Now);
        Assert.Equal(0, status.DisruptionsAllowed);
        Assert.Null(status.DisruptedPods);
        Assert.Equal(("False", "InsufficientPods"), (status.Conditions.Single().Status, status.Conditions.Single().Reason));
    }

    [Fact]
    public void TheConditionsTransitionTime_MovesOnlyWithItsStatus()
    {
        var earlier = Now.AddHours(-1);
        var kept = BudgetMath.SetCondition([new V1Condition { Type = "DisruptionAllowed", Status = "True", Reason = "SufficientPods", LastTransitionTime = earlier }],
            "True", "SufficientPods", "", 1, Now);
        Assert.Equal(earlier, kept.Single().LastTransitionTime);

        var moved = BudgetMath.SetCondition([new V1Condition { Type = "DisruptionAllowed", Status = "True", Reason = "SufficientPods", LastTransitionTime = earlier }],
            "False", "InsufficientPods", "", 1, Now);
        Assert.Equal(Now, moved.Single().LastTransitionTime);
    }

    private static V1PodDisruptionBudget Budget(long generation = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Generation = generation },
        Spec = new V1PodDisruptionBudgetSpec(),
    };

    private static V1Pod Pod(string name, bool ready, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", DeletionTimestamp = deleting ? Now : null },
        Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };
}
