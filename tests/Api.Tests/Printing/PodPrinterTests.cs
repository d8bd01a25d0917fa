using k8s.Models;
using KubeWeb.Api.Printing;
using static KubeWeb.Api.Tests.Printing.PrintFixture;

namespace KubeWeb.Api.Tests.Printing;

public class PodPrinterTests
{
    private readonly PodPrinter _printer = new();

    private static V1ContainerStatus Running(string name, bool ready = true, int restarts = 0) =>
        new() { Name = name, Ready = ready, RestartCount = restarts, State = new() { Running = new() } };

    private static V1ContainerStatus Waiting(string name, string? reason, int restarts = 0, DateTime? lastFinished = null) => new()
    {
        Name = name,
        RestartCount = restarts,
        State = new() { Waiting = new() { Reason = reason } },
        LastState = lastFinished is null ? null : new() { Terminated = new() { ExitCode = 1, FinishedAt = lastFinished } },
    };

    private static V1ContainerStatus Terminated(string name, int exitCode, string? reason = null, int? signal = null) =>
        new() { Name = name, State = new() { Terminated = new() { ExitCode = exitCode, Reason = reason, Signal = signal } } };

    private static V1Pod Pod(
        string[] containers,
        V1ContainerStatus[] statuses,
        string phase = "Running",
        string[]? init = null,
        V1ContainerStatus[]? initStatuses = null,
        V1PodCondition[]? conditions = null) => new()
        {
            Metadata = Meta("web-1", ageMinutes: 90),
            Spec = new()
            {
                Containers = [.. containers.Select(c => new V1Container { Name = c })],
                InitContainers = init is null ? null : [.. init.Select(c => new V1Container { Name = c })],
            },
            Status = new()
            {
                Phase = phase,
                ContainerStatuses = statuses,
                InitContainerStatuses = initStatuses,
                Conditions = conditions,
            },
        };

    private IReadOnlyList<object?> Print(V1Pod pod) => _printer.Cells(pod, Now);

    [Fact]
    public void Columns_AreKubectlsWithFourWideOnes()
    {
        Assert.Equal(
            ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
            _printer.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], _printer.Columns.Select(c => c.Priority));
        Assert.Equal("name", _printer.Columns[0].Format);
        Assert.Equal("string", _printer.Columns[3].Type);
    }

    [Fact]
    public void CrashLoopingPod_ShowsWaitingReasonAndRestartsWithLastRestartAge()
    {
        var pod = Pod(
            ["app", "log"],
            [Waiting("app", "CrashLoopBackOff", restarts: 3, lastFinished: MinutesAgo(5)), Running("log")]);
        pod.Spec.NodeName = "node-1";
        pod.Status.PodIPs = [new() { Ip = "10.244.0.9" }, new() { Ip = "fd00::9" }];

        Assert.Equal(
            ["web-1", "1/2", "CrashLoopBackOff", "3 (5m ago)", "90m", "10.244.0.9", "node-1", "<none>", "<none>"],
            Print(pod));
    }

    [Fact]
    public void FreshPod_ShowsZeroRestartsAndNoneForUnsetWideCells()
    {
        var pod = Pod(["app"], [Waiting("app", "ContainerCreating")], phase: "Pending");

        Assert.Equal(["web-1", "0/1", "ContainerCreating", "0", "90m", "<none>", "<none>", "<none>", "<none>"], Print(pod));
    }

    [Fact]
    public void InitContainers_ShowProgressAndCountTheirRestartsWhileInitializing()
    {
        var pod = Pod(
            ["app"],
            [Waiting("app", "PodInitializing")],
            phase: "Pending",
            init: ["migrate", "seed"],
            initStatuses:
            [
                Terminated("migrate", 0, "Completed"),
                new() { Name = "seed", RestartCount = 2, State = new() { Running = new() }, LastState = new() { Terminated = new() { FinishedAt = MinutesAgo(1) } } },
            ]);

        var cells = Print(pod);

        Assert.Equal("0/1", cells[1]);
        Assert.Equal("Init:1/2", cells[2]);
        Assert.Equal("2 (60s ago)", cells[3]);
    }

    [Theory]
    [InlineData("CrashLoopBackOff", null, null, "Init:CrashLoopBackOff")]
    [InlineData(null, 1, "Error", "Init:Error")]
    [InlineData(null, 2, null, "Init:ExitCode:2")]
    [InlineData("PodInitializing", null, null, "Init:0/1")]
    public void InitContainerFailure_IsPrefixedWithInit(string? waitingReason, int? exitCode, string? terminatedReason, string expected)
    {
        var status = exitCode is { } code ? Terminated("init", code, terminatedReason) : Waiting("init", waitingReason);
        var pod = Pod(["app"], [Waiting("app", "PodInitializing")], phase: "Pending", init: ["init"], initStatuses: [status]);

        Assert.Equal(expected, Print(pod)[2]);
    }

    [Fact]
    public void SidecarInitContainer_CountsAsReadyContainerOnceStarted()
    {
        var pod = Pod(
            ["app"],
            [Running("app", restarts: 1)],
            init: ["proxy"],
            initStatuses: [new() { Name = "proxy", Started = true, Ready = true, RestartCount = 2, State = new() { Running = new() } }],
            conditions: [new() { Type = "Initialized", Status = "True" }, new() { Type = "Ready", Status = "True" }]);
        pod.Spec.InitContainers[0].RestartPolicy = "Always";

        var cells = Print(pod);

        Assert.Equal("2/2", cells[1]);
        Assert.Equal("Running", cells[2]);
        Assert.Equal("3", cells[3]);
    }

    [Fact]
    public void DeletedRunningPod_IsTerminating()
    {
        var pod = Pod(["app"], [Running("app")]);
        pod.Metadata.DeletionTimestamp = MinutesAgo(0.5);

        Assert.Equal("Terminating", Print(pod)[2]);
    }

    [Fact]
    public void DeletedPodOnLostNode_IsUnknown()
    {
        var pod = Pod(["app"], [Running("app")]);
        pod.Metadata.DeletionTimestamp = MinutesAgo(0.5);
        pod.Status.Reason = "NodeLost";

        Assert.Equal("Unknown", Print(pod)[2]);
    }

    [Fact]
    public void SucceededPod_IsCompletedEvenWhenBeingDeleted()
    {
        var pod = Pod(["job"], [Terminated("job", 0, "Completed")], phase: "Succeeded");
        pod.Metadata.DeletionTimestamp = MinutesAgo(0.5);

        Assert.Equal(["web-1", "0/1", "Completed", "0"], Print(pod).Take(4));
    }

    [Theory]
    [InlineData("True", "Running")]
    [InlineData("False", "NotReady")]
    public void CompletedContainerNextToRunningOne_ReadsRunningOrNotReady(string readyCondition, string expected)
    {
        var pod = Pod(
            ["setup", "app"],
            [Terminated("setup", 0, "Completed"), Running("app")],
            conditions: [new() { Type = "Ready", Status = readyCondition }]);

        Assert.Equal(expected, Print(pod)[2]);
    }

    [Fact]
    public void KilledContainerWithoutReason_ShowsSignal()
    {
        var pod = Pod(["app"], [Terminated("app", 137, signal: 9)], phase: "Failed");

        Assert.Equal("Signal:9", Print(pod)[2]);
    }

    [Fact]
    public void FirstContainersStateWinsTheStatus()
    {
        var pod = Pod(["a", "b"], [Waiting("a", "ImagePullBackOff"), Waiting("b", "CrashLoopBackOff")]);

        Assert.Equal("ImagePullBackOff", Print(pod)[2]);
    }

    [Fact]
    public void SchedulingGatedPod_SaysSo()
    {
        var pod = Pod(["app"], [], phase: "Pending", conditions: [new() { Type = "PodScheduled", Status = "False", Reason = "SchedulingGated" }]);

        Assert.Equal("SchedulingGated", Print(pod)[2]);
    }

    [Fact]
    public void ReadinessGates_CountTrueConditions()
    {
        var pod = Pod(
            ["app"],
            [Running("app")],
            conditions: [new() { Type = "example.com/lb", Status = "True" }, new() { Type = "example.com/dns", Status = "False" }]);
        pod.Spec.ReadinessGates = [new() { ConditionType = "example.com/lb" }, new() { ConditionType = "example.com/dns" }];

        Assert.Equal("1/2", Print(pod)[8]);
    }
}
