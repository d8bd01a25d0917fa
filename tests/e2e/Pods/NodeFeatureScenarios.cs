using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>
/// The node features around real pods on <c>kubeweb server</c>'s containerd: <c>kubectl top</c>
/// from CRI stats, static pods from DATA_DIR/manifests, and <c>kubeweb images import</c>.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class NodeFeatureScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);

    private string DataDir => Path.Combine(fixture.Dir, "data");

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task Top_BusyLoopingPod_UsesCpu_IdleOneBarely_AndTheNodeShowsHostUsage()
    {
        (await _kubectl.RunAsync("run", "spinner", "--image=localhost/kubeweb/busybox:1.0", "--", "sh", "-c", "while true; do :; done")).Succeeded();
        (await _kubectl.RunAsync("run", "idler", "--image=localhost/kubeweb/busybox:1.0", "--", "sleep", "3600")).Succeeded();
        try
        {
            KubectlResult? top = null;
            Assert.True(await EventuallyAsync(async () =>
            {
                top = await _kubectl.RunAsync("top", "pods", "--no-headers");
                return top.ExitCode == 0 && top.Stdout.Contains("spinner", StringComparison.Ordinal) && top.Stdout.Contains("idler", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(90)), $"kubectl top pods should list both pods\n{top}");

            var (spinCpu, spinMemory) = Usage(top!, "spinner");
            var (idleCpu, _) = Usage(top!, "idler");
            output.WriteLine($"spinner {spinCpu}m {spinMemory}Mi, idler {idleCpu}m");
            Assert.True(spinCpu >= 100, $"a busy loop should use a good part of a core, not {spinCpu}m");
            Assert.True(idleCpu < spinCpu, "sleep should use less CPU than a busy loop");

            var containers = (await _kubectl.RunAsync("top", "pod", "spinner", "--containers", "--no-headers")).Succeeded();
            Assert.Matches(@"^spinner\s+spinner\s+\d+m\s+\d+Mi$", Assert.Single(containers.Lines));

            var node = (await _kubectl.RunAsync("top", "node", "local", "--no-headers")).Succeeded();
            var m = Regex.Match(Assert.Single(node.Lines), @"^local\s+(\d+)m\s+(\d+)%\s+(\d+)Mi\s+(\d+)%$");
            Assert.True(m.Success, node.ToString());
            Assert.True(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) >= spinCpu / 2, "the host's usage includes the busy pod");
        }
        finally
        {
            await _kubectl.RunAsync("delete", "pod", "spinner", "idler", "--grace-period=0", "--force");
        }
    }

    [Fact]
    public async Task StaticPod_FromManifestsFolder_IsMirrored_RecreatedWithoutRestart_AndRemovedWithTheFile()
    {
        var manifests = Path.Combine(DataDir, "manifests");
        var file = Path.Combine(manifests, "static-web.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: static-web
              namespace: kube-system
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: localhost/kubeweb/busybox:1.0
                command: ["sleep", "3600"]
            """);
        try
        {
            var mirror = await RunningAsync("kube-system", "static-web-local", _ => true);
            Assert.Equal("file", mirror.Metadata.Annotations["kubernetes.io/config.source"]);
            Assert.Equal("Node", Assert.Single(mirror.Metadata.OwnerReferences).Kind);
            var containerId = mirror.Status.ContainerStatuses[0].ContainerID;
            Assert.StartsWith("containerd://", containerId);

            // --wait=false: the recreation below is what this checks. (Once, in CI, kubectl's own wait for the
            // old uid to go timed out while the mirror was deleted and recreated under the same name; see the
            // session notes: under investigation.)
            (await _kubectl.RunAsync("delete", "pod", "static-web-local", "-n", "kube-system", "--wait=false")).Succeeded();
            var recreated = await RunningAsync("kube-system", "static-web-local", p => p.Metadata.Uid != mirror.Metadata.Uid);
            Assert.Equal(containerId, recreated.Status.ContainerStatuses[0].ContainerID);
            Assert.Equal(0, recreated.Status.ContainerStatuses[0].RestartCount);
            var logs = await _kubectl.RunAsync("exec", "-n", "kube-system", "static-web-local", "--", "echo", "static-ok");
            Assert.Contains("static-ok", logs.Succeeded().Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        var runtime = fixture.Server.LocalAgent!.Agent.Nodes[0].Runtime;
        Assert.True(await EventuallyAsync(async () =>
            (await fixture.Client.CoreV1.ListNamespacedPodAsync("kube-system", fieldSelector: "metadata.name=static-web-local")).Items.Count == 0 &&
            !(await runtime.ListPodsAsync(CancellationToken.None)).Any(p => p.Name == "static-web-local"), TimeSpan.FromSeconds(60)),
            "the mirror and the containers should be gone with the file");
    }

    [Fact]
    public async Task ImagesImport_ArchiveFromTheImageScript_RunsAPod()
    {
        var archive = Path.Combine(DataDir, "images", "busybox.tar");
        Assert.True(File.Exists(archive), "the server builds its image archives into DATA_DIR/images");

        var import = await KubewebAsync("images", "import", "--data-dir", DataDir, "--base-name", "localhost/imported/busybox", archive);
        Assert.True(import.Code == 0, import.Output);
        var list = await KubewebAsync("images", "list", "--data-dir", DataDir);
        Assert.True(list.Code == 0, list.Output);
        Assert.Matches(@"(?m)^localhost/imported/busybox:2\.0\s+[0-9a-f]{12}\s+\S+", list.Output);

        var missing = await KubewebAsync("images", "import", "--address", Path.Combine(DataDir, "no.sock"), archive);
        Assert.Equal(1, missing.Code);
        Assert.Contains("does not exist", missing.Output, StringComparison.Ordinal);

        await fixture.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "imported" },
            Spec = new V1PodSpec
            {
                TerminationGracePeriodSeconds = 1,
                Containers = [new V1Container { Name = "app", Image = "localhost/imported/busybox:2.0", ImagePullPolicy = "Never", Command = ["sleep", "3600"] }],
            },
        }, "default");
        try
        {
            var pod = await RunningAsync("default", "imported", _ => true);
            Assert.Equal("localhost/imported/busybox:2.0", pod.Status.ContainerStatuses[0].Image);
        }
        finally
        {
            await _kubectl.RunAsync("delete", "pod", "imported", "--grace-period=0", "--force");
        }
    }

    [Fact]
    public async Task ImagesImport_ThroughTheApi_ReachesTheNodesContainerd()
    {
        var archive = Path.Combine(DataDir, "images", "busybox.tar");
        string[] remote = ["images", "import", "--server", fixture.Server.Url, "--token-file", Path.Combine(DataDir, "admin-token"),
            "--certificate-authority", Path.Combine(DataDir, "tls", "ca.crt")];

        var unknown = await KubewebAsync([.. remote, "--node", "no-such-node", archive]);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("nodes \"no-such-node\" not found", unknown.Output, StringComparison.Ordinal);
        var wrongToken = await KubewebAsync(["images", "import", "--server", fixture.Server.Url, "--token-file", Path.Combine(DataDir, "node-token"), "--node", "local", archive]);
        Assert.Equal(1, wrongToken.Code);

        var import = await KubewebAsync([.. remote, "--node", "local", "--base-name", "localhost/remote/busybox", archive]);
        Assert.True(import.Code == 0, import.Output);
        Assert.Contains("imported busybox.tar on node local", import.Output, StringComparison.Ordinal);

        await fixture.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "remote-imported" },
            Spec = new V1PodSpec
            {
                TerminationGracePeriodSeconds = 1,
                Containers = [new V1Container { Name = "app", Image = "localhost/remote/busybox:1.0", ImagePullPolicy = "Never", Command = ["sleep", "3600"] }],
            },
        }, "default");
        try
        {
            await RunningAsync("default", "remote-imported", _ => true);
        }
        finally
        {
            await _kubectl.RunAsync("delete", "pod", "remote-imported", "--grace-period=0", "--force");
        }
    }

    private static (int Cpu, int Memory) Usage(KubectlResult top, string pod)
    {
        var line = top.Lines.Single(l => l.StartsWith(pod + " ", StringComparison.Ordinal));
        var m = Regex.Match(line, @"^\S+\s+(\d+)m\s+(\d+)Mi$");
        Assert.True(m.Success, line);
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private async Task<V1Pod> RunningAsync(string ns, string name, Func<V1Pod, bool> also)
    {
        V1Pod? found = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            var list = await fixture.Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: $"metadata.name={name}");
            found = list.Items.SingleOrDefault(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running"
                && p.Status.ContainerStatuses is [{ Ready: true }] && also(p));
            return found is not null;
        }, TimeSpan.FromSeconds(90)), $"pod {ns}/{name} should be Running");
        return found!;
    }

    private Task<(int Code, string Output)> KubewebAsync(params string[] args) => KubewebCli.RunAsync(output, args);

    private static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout) => Eventually.HoldsAsync(condition, timeout, TimeSpan.FromMilliseconds(500));
}
