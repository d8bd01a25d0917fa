using k8s.Models;
using KubeWeb.Agent.Cri.V1;

namespace KubeWeb.Agent.Tests.Containerd;

/// <summary>Sidecar containers (init containers with restartPolicy Always) on a private containerd, as the kubelet runs them.</summary>
[Trait("Category", "Containerd")]
[Collection(ContainerdCollection.Name)]
public sealed class SidecarTests(ContainerdFixture fixture)
{
    private static readonly V1VolumeMount Work = new() { Name = "work", MountPath = "/work" };

    private static V1Container Sidecar(string name, string script) =>
        ContainerdFixture.Busybox(name, script) with { RestartPolicy = "Always", VolumeMounts = [Work] };

    private static V1Container Busybox(string name, string script) => ContainerdFixture.Busybox(name, script) with { VolumeMounts = [Work] };

    /// <summary>Appends <paramref name="name"/> to /work/stopped on SIGTERM, then exits 0.</summary>
    private static string UntilTerm(string name) => $"trap 'echo {name} >> /work/stopped; exit 0' TERM; while true; do sleep 0.1; done";

    private static V1Pod Pod(string name, string restartPolicy, V1Container[] inits, V1Container[] containers) => ContainerdFixture.Pod(name, new V1PodSpec
    {
        RestartPolicy = restartPolicy,
        TerminationGracePeriodSeconds = 10,
        Volumes = [new V1Volume { Name = "work", EmptyDir = new V1EmptyDirVolumeSource() }],
        InitContainers = inits,
        Containers = containers,
    });

    private string WorkFile(V1Pod pod, string file) =>
        Path.Combine(fixture.Options.PodsDir, pod.Metadata.Uid, "volumes", "kubernetes.io~empty-dir", "work", file);

    [Fact]
    public async Task Sidecar_StartsBeforeTheNextInitContainer_AndKeepsRunningBesideTheApp()
    {
        var pod = Pod("sc-order", "Always",
            [
                Sidecar("feeder", "while true; do date >> /work/feed; sleep 0.2; done"),
                Busybox("setup", "echo setup > /work/setup"),
            ],
            [Busybox("app", "until [ -s /work/feed ]; do sleep 0.1; done; touch /work/fed; exec sleep 3600")]);

        var status = await fixture.RunUntilAsync(pod, s => s.Phase == "Running" && s.ContainerStatuses[0].State.Running is not null);

        var feeder = status.InitContainerStatuses.Single(c => c.Name == "feeder");
        Assert.NotNull(feeder.State.Running);
        Assert.True(feeder.Started);
        Assert.True(feeder.Ready);
        Assert.Equal("Completed", status.InitContainerStatuses.Single(c => c.Name == "setup").State.Terminated.Reason);
        Assert.Contains(status.Conditions, c => c.Type == "Initialized" && c.Status == "True");
        Assert.Contains(status.Conditions, c => c.Type == "Ready" && c.Status == "True");
        await WaitForAsync(() => File.Exists(WorkFile(pod, "fed")));

        // CRI's own clock: the regular init container was created after the sidecar had started.
        var containers = await ListAsync(pod);
        var sidecarStarted = (await StatusAsync(containers.Single(c => c.Metadata.Name == "feeder").Id)).StartedAt;
        var setupCreated = containers.Single(c => c.Metadata.Name == "setup").CreatedAt;
        Assert.True(setupCreated > sidecarStarted, $"setup created at {setupCreated}, sidecar started at {sidecarStarted}");
        await RemoveAsync(pod);
    }

    [Fact]
    public async Task SidecarThatExits_IsRestarted_EvenInANeverPod()
    {
        var pod = Pod("sc-restart", "Never", [Sidecar("flaky", "sleep 1; exit 1")], [Busybox("app", "exec sleep 3600")]);

        var status = await fixture.RunUntilAsync(pod, s => s.InitContainerStatuses?[0].RestartCount >= 1 && s.ContainerStatuses[0].State.Running is not null);

        Assert.Equal("Running", status.Phase);
        Assert.Equal(0, status.ContainerStatuses[0].RestartCount);
        await RemoveAsync(pod);
    }

    [Fact]
    public async Task NeverPod_SucceedsWhenTheAppFinishes_AndItsSidecarIsStopped()
    {
        var pod = Pod("sc-job", "Never", [Sidecar("helper", UntilTerm("helper"))], [Busybox("app", "sleep 1; exit 0")]);

        var status = await fixture.RunUntilAsync(pod, s => s.Phase == "Succeeded" && s.InitContainerStatuses[0].State.Terminated is not null);

        var helper = status.InitContainerStatuses[0];
        Assert.Equal(0, helper.State.Terminated.ExitCode);
        Assert.Equal(0, helper.RestartCount);
        Assert.Equal("helper\n", await File.ReadAllTextAsync(WorkFile(pod, "stopped")));
        var rt = await fixture.Runtime.GetPodAsync(pod.Metadata.Uid, CancellationToken.None);
        Assert.False(rt!.SandboxReady);

        // Later syncs leave the finished pod alone: the stopped sidecar is not restarted.
        await fixture.Runtime.SyncPodAsync(pod, CancellationToken.None);
        Assert.DoesNotContain(await ListAsync(pod), c => c.State == Cri.V1.ContainerState.ContainerRunning);
        await RemoveAsync(pod);
    }

    [Fact]
    public async Task KillPod_StopsTheAppFirst_ThenTheSidecarsInReverseOrder_RunningTheirPreStopHooks()
    {
        var preStop = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", "echo second-prestop >> /work/stopped"] } } };
        var pod = Pod("sc-stop", "Always",
            [Sidecar("first", UntilTerm("first")), Sidecar("second", UntilTerm("second")) with { Lifecycle = preStop }],
            [Busybox("app", UntilTerm("app"))]);
        await fixture.RunUntilAsync(pod, s => s.Phase == "Running" && s.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"));

        await fixture.Runtime.KillPodAsync(pod.Metadata.Uid, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("app\nsecond-prestop\nsecond\nfirst\n", await File.ReadAllTextAsync(WorkFile(pod, "stopped")));
        await RemoveAsync(pod);
    }

    private async Task<IReadOnlyList<Container>> ListAsync(V1Pod pod)
    {
        var request = new ListContainersRequest { Filter = new ContainerFilter() };
        request.Filter.LabelSelector["io.kubernetes.pod.uid"] = pod.Metadata.Uid;
        return (await fixture.Runtime.Cri.Runtime.ListContainersAsync(request)).Containers;
    }

    private async Task<ContainerStatus> StatusAsync(string id) =>
        (await fixture.Runtime.Cri.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status;

    private async Task RemoveAsync(V1Pod pod)
    {
        await fixture.Runtime.KillPodAsync(pod.Metadata.Uid, TimeSpan.Zero, CancellationToken.None);
        await fixture.Runtime.RemovePodAsync(pod.Metadata.Uid, CancellationToken.None);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }
}
