using k8s.Models;
using KubeWeb.Controllers.Apps;

namespace KubeWeb.Controllers.Tests.Apps;

public class PodDeletionOrderTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(string name, string? node = "n1", string phase = "Running", bool ready = true, int createdMinute = 0,
        int readyMinute = 0, int restarts = 0, string? cost = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Uid = name,
            CreationTimestamp = T0.AddMinutes(createdMinute),
            Annotations = cost is null ? null : new Dictionary<string, string> { [PodDeletionOrder.DeletionCostAnnotation] = cost },
        },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = T0.AddMinutes(readyMinute) }],
            ContainerStatuses = [new V1ContainerStatus { Name = "c", RestartCount = restarts }],
        },
    };

    private static string[] Order(params V1Pod[] pods) => [.. PodDeletionOrder.Rank(pods, []).Select(p => p.Metadata.Name)];

    [Fact]
    public void Unscheduled_GoBeforeScheduled()
    {
        Assert.Equal(["unscheduled", "scheduled"], Order(Pod("scheduled"), Pod("unscheduled", node: null, phase: "Pending", ready: false)));
    }

    [Fact]
    public void Pending_BeforeUnknown_BeforeRunning()
    {
        Assert.Equal(["pending", "unknown", "running"], Order(Pod("running"), Pod("unknown", phase: "Unknown"), Pod("pending", phase: "Pending")));
    }

    [Fact]
    public void NotReady_BeforeReady()
    {
        Assert.Equal(["notready", "ready"], Order(Pod("ready"), Pod("notready", ready: false)));
    }

    [Fact]
    public void LowerDeletionCost_First()
    {
        Assert.Equal(["cheap", "dear"], Order(Pod("dear", cost: "100"), Pod("cheap", cost: "-5")));
    }

    [Fact]
    public void DoubledUpOnANode_First()
    {
        var lonely = Pod("lonely", node: "n2");
        var crowded = Pod("crowded", node: "n1");
        var related = new[] { crowded, Pod("sibling1", node: "n1"), Pod("sibling2", node: "n1"), lonely };
        Assert.Equal(["crowded", "lonely"], PodDeletionOrder.Rank([lonely, crowded], related).Select(p => p.Metadata.Name));
    }

    [Fact]
    public void ReadyForLessTime_First_ThenMoreRestarts_ThenNewest()
    {
        Assert.Equal(["recentlyready", "longready"], Order(Pod("longready", readyMinute: 1), Pod("recentlyready", readyMinute: 9)));
        Assert.Equal(["crashy", "stable"], Order(Pod("stable"), Pod("crashy", restarts: 4)));
        Assert.Equal(["newest", "middle", "oldest"], Order(Pod("oldest", createdMinute: 1), Pod("newest", createdMinute: 5), Pod("middle", createdMinute: 3)));
    }
}
