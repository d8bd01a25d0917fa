using k8s.Models;
using KubeWeb.Controllers.PodGarbageCollection;

namespace KubeWeb.Controllers.Tests.PodGarbageCollection;

public sealed class TerminatedPodSelectionTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void UnderOrAtTheThreshold_NothingIsDeleted()
    {
        Assert.Empty(PodGarbageCollector.TerminatedToDelete([Pod("a", "Succeeded", 0), Pod("b", "Failed", 1), Pod("c", "Running", 2)], 2));
    }

    [Fact]
    public void Evicted_GoFirst_ThenTheOldest_ThenByName_AndLivePodsNever()
    {
        var pods = new[]
        {
            Pod("old-running", "Running", 0),
            Pod("b-old", "Succeeded", 1),
            Pod("a-old", "Failed", 1),
            Pod("newer", "Succeeded", 5),
            Pod("evicted-new", "Failed", 9, reason: "Evicted"),
            Pod("newest", "Failed", 10),
            Pod("pending", "Pending", 0),
        };

        var deleted = PodGarbageCollector.TerminatedToDelete(pods, 2).Select(p => p.Metadata.Name);
        Assert.Equal(["evicted-new", "a-old", "b-old"], deleted);
    }

    [Fact]
    public void OutOfService_NeedsTheTaint_AndANodeThatIsNotReady()
    {
        var taint = new V1Taint { Key = PodGarbageCollector.OutOfServiceTaint, Effect = "NoExecute" };
        Assert.True(PodGarbageCollector.IsOutOfService(Node("False", taint)));
        Assert.True(PodGarbageCollector.IsOutOfService(Node("Unknown", taint)));
        Assert.False(PodGarbageCollector.IsOutOfService(Node("True", taint)));
        Assert.False(PodGarbageCollector.IsOutOfService(Node("False")));
    }

    private static V1Pod Pod(string name, string phase, int minute, string? reason = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = T0.AddMinutes(minute) },
        Spec = new V1PodSpec(),
        Status = new V1PodStatus { Phase = phase, Reason = reason },
    };

    private static V1Node Node(string ready, params V1Taint[] taints) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n" },
        Spec = new V1NodeSpec { Taints = taints },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready }] },
    };
}
