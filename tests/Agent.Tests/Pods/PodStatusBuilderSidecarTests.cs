using k8s.Models;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Runtime;

namespace KubeWeb.Agent.Tests.Pods;

/// <summary>Sidecars (init containers with restartPolicy Always) in the status the agent reports, as the kubelet's.</summary>
public sealed class PodStatusBuilderSidecarTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(string restartPolicy = "Always") => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "uid-1", CreationTimestamp = T0 },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            InitContainers =
            [
                new V1Container { Name = "setup", Image = "busybox" },
                new V1Container { Name = "proxy", Image = "busybox", RestartPolicy = "Always" },
            ],
            Containers = [new V1Container { Name = "app", Image = "busybox" }],
        },
    };

    private static RuntimeContainer Exited(string name, int code, bool init = false, int restarts = 0) =>
        new(name, "containerd://" + name, "busybox", "sha", ContainerState.Exited, restarts, T0, T0.AddSeconds(1), code, code == 0 ? "Completed" : "Error", init);

    private static RuntimeContainer Running(string name, bool init = false, int restarts = 0) =>
        new(name, "containerd://" + name, "busybox", "sha", ContainerState.Running, restarts, T0.AddSeconds(2), IsInit: init);

    private static RuntimePod Rt(params RuntimeContainer[] containers) => new("uid-1", "default", "p", true, "10.0.0.5", T0, containers);

    private static V1PodCondition Condition(V1PodStatus s, string type) => s.Conditions.Single(c => c.Type == type);

    [Fact]
    public void SidecarRunning_BeforeTheApp_IsStartedAndReady_AndThePodInitialized()
    {
        var status = PodStatusBuilder.Build(Pod(), Rt(Exited("setup", 0, init: true), Running("proxy", init: true)), "10.0.0.1");

        var proxy = status.InitContainerStatuses.Single(c => c.Name == "proxy");
        Assert.True(proxy.Started);
        Assert.True(proxy.Ready);
        var setup = status.InitContainerStatuses.Single(c => c.Name == "setup");
        Assert.False(setup.Started);
        Assert.True(setup.Ready);
        Assert.Equal("True", Condition(status, "Initialized").Status);
        Assert.Equal("Pending", status.Phase);
    }

    [Fact]
    public void SidecarNotYetStarted_KeepsThePodUninitialized_AndNamesIt()
    {
        var status = PodStatusBuilder.Build(Pod(), Rt(Exited("setup", 0, init: true)), "10.0.0.1");

        var initialized = Condition(status, "Initialized");
        Assert.Equal("False", initialized.Status);
        Assert.Equal("containers with incomplete status: [proxy]", initialized.Message);
    }

    [Fact]
    public void SidecarNotReady_KeepsThePodNotReady_ListedBeforeTheApp()
    {
        var status = PodStatusBuilder.Build(Pod(), Rt(Exited("setup", 0, init: true), Exited("proxy", 1, init: true, restarts: 1), Running("app")), "10.0.0.1");

        var ready = Condition(status, "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Equal("containers with unready status: [proxy]", ready.Message);
        Assert.Equal("True", Condition(status, "Initialized").Status);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void SidecarAndAppRunning_MakeThePodReady()
    {
        var status = PodStatusBuilder.Build(Pod(), Rt(Exited("setup", 0, init: true), Running("proxy", init: true), Running("app")), "10.0.0.1");

        Assert.Equal("True", Condition(status, "Ready").Status);
        Assert.Equal("True", Condition(status, "ContainersReady").Status);
    }

    [Theory]
    [InlineData("Never", 0, "Succeeded")]
    [InlineData("Never", 2, "Failed")]
    [InlineData("OnFailure", 0, "Succeeded")]
    public void JobStylePod_PhaseFollowsTheAppContainers_IgnoringTheSidecarsExit(string policy, int appExit, string phase)
    {
        var rt = Rt(Exited("setup", 0, init: true), Exited("proxy", 137, init: true), Exited("app", appExit));

        var status = PodStatusBuilder.Build(Pod(policy), rt, "10.0.0.1");

        Assert.Equal(phase, status.Phase);
    }

    [Fact]
    public void JobStylePod_StaysRunning_UntilItsSidecarsHaveStopped()
    {
        var rt = Rt(Exited("setup", 0, init: true), Running("proxy", init: true), Exited("app", 0));

        var status = PodStatusBuilder.Build(Pod("Never"), rt, "10.0.0.1");

        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void NeverPod_SidecarFailingDuringInit_DoesNotFailThePod()
    {
        var status = PodStatusBuilder.Build(Pod("Never"), Rt(Exited("setup", 0, init: true), Exited("proxy", 1, init: true)), "10.0.0.1");

        Assert.Equal("Pending", status.Phase);
    }

    [Fact]
    public void NeverPod_RegularInitContainerFailing_FailsThePod()
    {
        var status = PodStatusBuilder.Build(Pod("Never"), Rt(Exited("setup", 1, init: true)), "10.0.0.1");

        Assert.Equal("Failed", status.Phase);
    }
}
