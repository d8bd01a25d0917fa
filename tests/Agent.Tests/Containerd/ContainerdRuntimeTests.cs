using Grpc.Core;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Runtime.Containerd;

namespace KubeWeb.Agent.Tests.Containerd;

/// <summary>Real pods on a private containerd: what the kubelet's pod lifecycle promises.</summary>
[Trait("Category", "Containerd")]
[Collection(ContainerdCollection.Name)]
public sealed class ContainerdRuntimeTests(ContainerdFixture fixture)
{
    private static bool Running(V1PodStatus s) => s.Phase == "Running" && s.ContainerStatuses.All(c => c.State.Running is not null);

    [Fact]
    public async Task TwoContainers_ShareLocalhostAndAnEmptyDir()
    {
        var pod = ContainerdFixture.Pod("pair", new V1PodSpec
        {
            Volumes = [new V1Volume { Name = "shared", EmptyDir = new V1EmptyDirVolumeSource() }],
            HostAliases = [new V1HostAlias { Ip = "10.1.2.3", Hostnames = ["db.example"] }],
            Containers =
            [
                ContainerdFixture.Busybox("web", "echo hello > /shared/msg; exec httpd -f -p 8080 -h /var/www") with
                {
                    VolumeMounts = [new V1VolumeMount { Name = "shared", MountPath = "/shared" }],
                },
                ContainerdFixture.Busybox("sidecar", "while true; do wget -q -O /shared/page http://localhost:8080/ && cp /shared/msg /shared/seen; sleep 0.2; done") with
                {
                    VolumeMounts = [new V1VolumeMount { Name = "shared", MountPath = "/shared" }],
                },
            ],
        });

        var status = await fixture.RunUntilAsync(pod, Running);

        Assert.StartsWith("10.250.0.", status.PodIP);
        var shared = Path.Combine(fixture.Options.PodsDir, pod.Metadata.Uid, "volumes", "kubernetes.io~empty-dir", "shared");
        await WaitForAsync(() => File.Exists(Path.Combine(shared, "seen")) && File.Exists(Path.Combine(shared, "page")));
        Assert.Contains("kubeweb busybox", await File.ReadAllTextAsync(Path.Combine(shared, "page")));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(shared, "seen")));

        var web = status.ContainerStatuses.Single(c => c.Name == "web");
        Assert.StartsWith("containerd://", web.ContainerID);
        Assert.Equal("localhost/kubeweb/busybox:1.0", web.Image);
        Assert.False(string.IsNullOrEmpty(web.ImageID));
        Assert.True(web.Ready);
        var hosts = await ExecAsync(web.ContainerID, "cat", "/etc/hosts");
        Assert.Contains($"{status.PodIP}\tpair", hosts);
        Assert.Contains("10.1.2.3\tdb.example", hosts);
        Assert.Equal("pair", (await ExecAsync(web.ContainerID, "hostname")).Trim());
    }

    [Fact]
    public async Task InitContainers_RunInOrderToSuccess_BeforeTheAppContainer()
    {
        var pod = ContainerdFixture.Pod("inits", new V1PodSpec
        {
            Volumes = [new V1Volume { Name = "work", EmptyDir = new V1EmptyDirVolumeSource() }],
            InitContainers =
            [
                ContainerdFixture.Busybox("first", "sleep 0.5; echo first >> /work/order") with { VolumeMounts = [new V1VolumeMount { Name = "work", MountPath = "/work" }] },
                ContainerdFixture.Busybox("second", "echo second >> /work/order") with { VolumeMounts = [new V1VolumeMount { Name = "work", MountPath = "/work" }] },
            ],
            Containers =
            [
                ContainerdFixture.Busybox("app", "echo app >> /work/order; exec sleep 3600") with { VolumeMounts = [new V1VolumeMount { Name = "work", MountPath = "/work" }] },
            ],
        });

        var pending = await fixture.RunUntilAsync(pod, s => s.InitContainerStatuses?.Any(i => i.State.Running is not null || i.State.Terminated is not null) == true);
        Assert.Contains(pending.Conditions, c => c.Type == "Initialized" && c.Status == "False");

        var status = await fixture.RunUntilAsync(pod, Running);

        var file = Path.Combine(fixture.Options.PodsDir, pod.Metadata.Uid, "volumes", "kubernetes.io~empty-dir", "work", "order");
        // Running means the process started; its first line may still be on the way.
        await WaitForAsync(() => File.ReadAllText(file).Contains("app", StringComparison.Ordinal));
        Assert.Equal("first\nsecond\napp\n", await File.ReadAllTextAsync(file));
        Assert.All(status.InitContainerStatuses, i => Assert.Equal("Completed", i.State.Terminated.Reason));
        Assert.Contains(status.Conditions, c => c.Type == "Initialized" && c.Status == "True");
    }

    [Fact]
    public async Task CrashingContainer_GoesIntoCrashLoopBackOff_WithLastState()
    {
        var pod = ContainerdFixture.Pod("crasher", new V1PodSpec
        {
            Containers = [ContainerdFixture.Busybox("crash", "echo oops; exit 3")],
        });

        var status = await fixture.RunUntilAsync(pod, s => s.ContainerStatuses[0].State.Waiting?.Reason == "CrashLoopBackOff");

        var c = status.ContainerStatuses[0];
        Assert.True(c.RestartCount > 0);
        Assert.Equal(3, c.LastState.Terminated.ExitCode);
        Assert.Equal("Error", c.LastState.Terminated.Reason);
        Assert.Contains("back-off 10s restarting failed container=crash", c.State.Waiting.Message);
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public async Task NeverPolicy_ImageMissing_ReportsErrImageNeverPull_AndPullFailureReportsErrImagePull()
    {
        var pod = ContainerdFixture.Pod("noimage", new V1PodSpec
        {
            Containers =
            [
                new V1Container { Name = "never", Image = "localhost/kubeweb/absent:1.0", ImagePullPolicy = "Never" },
                new V1Container { Name = "pull", Image = "localhost/kubeweb/absent:1.0", ImagePullPolicy = "IfNotPresent" },
            ],
        });

        var status = await fixture.RunUntilAsync(pod, s => s.ContainerStatuses.All(c => c.State.Waiting?.Reason is "ErrImageNeverPull" or "ErrImagePull" or "ImagePullBackOff"));

        Assert.Equal("ErrImageNeverPull", status.ContainerStatuses[0].State.Waiting.Reason);
        Assert.Contains("is not present with pull policy of Never", status.ContainerStatuses[0].State.Waiting.Message);
        Assert.False(string.IsNullOrEmpty(status.ContainerStatuses[1].State.Waiting.Message));
        Assert.Equal("Pending", status.Phase);
    }

    [Fact]
    public async Task DeletedPod_LeavesNoSandboxCgroupOrFolderBehind()
    {
        var pod = ContainerdFixture.Pod("gone", new V1PodSpec
        {
            Volumes = [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }],
            Containers = [ContainerdFixture.Busybox("main", "exec sleep 3600") with { VolumeMounts = [new V1VolumeMount { Name = "scratch", MountPath = "/scratch" }] }],
        });
        await fixture.RunUntilAsync(pod, Running);
        var cgroup = SandboxConfigFactory.CgroupParent(fixture.Options, pod.Metadata.Uid);
        Assert.NotEmpty(PodCgroups.Existing(fixture.Options.CgroupFsRoot, cgroup));

        await fixture.Runtime.KillPodAsync(pod.Metadata.Uid, TimeSpan.FromSeconds(1), CancellationToken.None);
        var stopped = await fixture.Runtime.GetPodAsync(pod.Metadata.Uid, CancellationToken.None);
        Assert.NotNull(stopped!.StoppedAt);
        Assert.All(stopped.Containers, c => Assert.Equal(KubeWeb.Agent.Runtime.ContainerState.Exited, c.State));
        await fixture.Runtime.RemovePodAsync(pod.Metadata.Uid, CancellationToken.None);

        Assert.Null(await fixture.Runtime.GetPodAsync(pod.Metadata.Uid, CancellationToken.None));
        var request = new ListPodSandboxRequest { Filter = new PodSandboxFilter() };
        request.Filter.LabelSelector["io.kubernetes.pod.uid"] = pod.Metadata.Uid;
        Assert.Empty((await fixture.Runtime.Cri.Runtime.ListPodSandboxAsync(request)).Items);
        Assert.Empty(PodCgroups.Existing(fixture.Options.CgroupFsRoot, cgroup));
        Assert.False(Directory.Exists(Path.Combine(fixture.Options.PodsDir, pod.Metadata.Uid)));
        Assert.Empty(Directory.EnumerateDirectories(fixture.Options.LogsDir, "*_" + pod.Metadata.Uid));
    }

    [Fact]
    public async Task RemovePod_WhileASyncIsInFlight_WaitsForIt_AndLeavesNoSandboxOrTmpfsBehind()
    {
        var pod = ContainerdFixture.Pod("racer", new V1PodSpec
        {
            Volumes = [new V1Volume { Name = "mem", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } }],
            Containers = [ContainerdFixture.Busybox("main", "exec sleep 3600") with { VolumeMounts = [new V1VolumeMount { Name = "mem", MountPath = "/mem" }] }],
        });

        // The sync owns the pod from its first step (sandbox, tmpfs, container are still to come)...
        var sync = fixture.Runtime.SyncPodAsync(pod, CancellationToken.None);
        // ...so the removal must wait for it rather than tear down beside it.
        var remove = fixture.Runtime.RemovePodAsync(pod.Metadata.Uid, CancellationToken.None);
        await Task.WhenAll(sync, remove);

        await AssertGoneAsync(pod);

        // A sync arriving while a removal runs finds the pod torn down and creates nothing.
        await fixture.Runtime.SyncPodAsync(pod, CancellationToken.None);
        var removing = fixture.Runtime.RemovePodAsync(pod.Metadata.Uid, CancellationToken.None);
        var late = fixture.Runtime.SyncPodAsync(pod, CancellationToken.None);
        await Task.WhenAll(removing, late);

        await AssertGoneAsync(pod);
    }

    private async Task AssertGoneAsync(V1Pod pod)
    {
        var folder = Path.Combine(fixture.Options.PodsDir, pod.Metadata.Uid);
        var request = new ListPodSandboxRequest { Filter = new PodSandboxFilter() };
        request.Filter.LabelSelector["io.kubernetes.pod.uid"] = pod.Metadata.Uid;
        Assert.Empty((await fixture.Runtime.Cri.Runtime.ListPodSandboxAsync(request)).Items);
        Assert.DoesNotContain(Tmpfs.MountPoints(), m => m.StartsWith(folder, StringComparison.Ordinal));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AgentRestart_AdoptsRunningPods_WithoutRestartingThem()
    {
        var pod = ContainerdFixture.Pod("survivor", new V1PodSpec { Containers = [ContainerdFixture.Busybox("main", "exec sleep 3600")] });
        var before = await fixture.RunUntilAsync(pod, Running);

        await fixture.RestartRuntimeAsync();
        var listed = await fixture.Runtime.ListPodsAsync(CancellationToken.None);
        var after = await fixture.RunUntilAsync(pod, Running);

        Assert.Contains(listed, p => p.Uid == pod.Metadata.Uid && p.Name == "survivor");
        Assert.Equal(before.ContainerStatuses[0].ContainerID, after.ContainerStatuses[0].ContainerID);
        Assert.Equal(0, after.ContainerStatuses[0].RestartCount);
        Assert.Equal(before.PodIP, after.PodIP);
    }

    [Fact]
    public async Task EnvFromValueAndFieldRef_AreExpandedIntoTheCommand()
    {
        var pod = ContainerdFixture.Pod("envs", new V1PodSpec
        {
            RestartPolicy = "Never",
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    Image = ImageImporter.BusyboxImage,
                    Command = ["sh", "-c", "echo -n \"$(GREETING) $POD_NAME\" > /dev/termination-log"],
                    Env =
                    [
                        new V1EnvVar { Name = "WHO", Value = "world" },
                        new V1EnvVar { Name = "GREETING", Value = "hello $(WHO)" },
                        new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                    ],
                },
            ],
        });

        var status = await fixture.RunUntilAsync(pod, s => s.Phase == "Succeeded");

        Assert.Equal("hello world envs", status.ContainerStatuses[0].State.Terminated.Message);
        Assert.Equal("Completed", status.ContainerStatuses[0].State.Terminated.Reason);
    }

    private async Task<string> ExecAsync(string containerId, params string[] cmd)
    {
        var request = new ExecSyncRequest { ContainerId = containerId["containerd://".Length..], Timeout = 10 };
        request.Cmd.AddRange(cmd);
        var response = await fixture.Runtime.Cri.Runtime.ExecSyncAsync(request);
        Assert.Equal(0, response.ExitCode);
        return response.Stdout.ToStringUtf8();
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
