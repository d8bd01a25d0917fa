using System.Collections.Concurrent;
using k8s.Models;
using KubeWeb.Agent.Runtime;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>Claims on the local-path class, memory-backed volumes, FailedMount and service account tokens in real pods.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class PodVolumeScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(100);
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);

    private ContainerdRuntime Runtime => (ContainerdRuntime)fixture.Server.LocalAgent!.Agent.Nodes[0].Runtime;

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task ClaimOnTheDefaultClass_KeepsItsDataForTheNextPod_AndGoesWithTheClaim()
    {
        await Apply("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: notes}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 64Mi}}
            """);
        await Apply(Pod("writer", "echo kept > /data/note && sleep 3600", "persistentVolumeClaim: {claimName: notes}"));
        await Ok(["wait", "pod/writer", "--for=condition=Ready", "--timeout=90s"]);
        var volume = await Ok(["get", "pvc", "notes", "-o", "jsonpath={.spec.volumeName}"]);
        var folder = await Ok(["get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}"]);
        Assert.Equal(Path.Combine(fixture.Dir, "data", "storage", volume), folder);
        await WaitUntilAsync(() => File.Exists(Path.Combine(folder, "note")), "the file on the node");

        await Ok(["delete", "pod", "writer", "--grace-period=1"]);
        await Apply(Pod("reader", "sleep 3600", "persistentVolumeClaim: {claimName: notes, readOnly: true}"));
        await Ok(["wait", "pod/reader", "--for=condition=Ready", "--timeout=90s"]);
        Assert.Equal("kept", (await Ok(["exec", "reader", "--", "cat", "/data/note"])).Trim());
        var write = await _kubectl.RunAsync("exec", "reader", "--", "touch", "/data/other");
        Assert.Contains("Read-only file system", write.Output, StringComparison.Ordinal);

        await Ok(["delete", "pod", "reader", "--grace-period=1"]);
        await Ok(["delete", "pvc", "notes", "--timeout=60s"]);
        await Ok(["wait", $"pv/{volume}", "--for=delete", "--timeout=60s"]);
        Assert.False(Directory.Exists(folder), "the agent removes the volume's folder");
    }

    [Fact]
    public async Task MemoryEmptyDirAndTokens_LiveOnTmpfs_ThatIsUnmountedWithThePod()
    {
        await Apply(Pod("mem", "sleep 3600", "emptyDir: {medium: Memory, sizeLimit: 16Mi}"));
        await Ok(["wait", "pod/mem", "--for=condition=Ready", "--timeout=90s"]);
        var uid = await Ok(["get", "pod", "mem", "-o", "jsonpath={.metadata.uid}"]);

        var data = await Ok(["exec", "mem", "--", "grep", " /data ", "/proc/mounts"]);
        Assert.Matches(@"^tmpfs /data tmpfs rw,.*size=16384k", data);
        var mounts = (await Ok(["exec", "mem", "--", "cat", "/proc/mounts"])).Split('\n');
        Assert.Contains(mounts, l => l.StartsWith("tmpfs /var/run/secrets/kubernetes.io/serviceaccount tmpfs ro,", StringComparison.Ordinal));

        var token = (await Ok(["exec", "mem", "--", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/token"])).Trim();
        Assert.Matches(@"^eyJ[\w-]+\.[\w-]+\.[\w-]+$", token);
        Assert.Equal("default", await Ok(["exec", "mem", "--", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/namespace"]));
        Assert.Contains("BEGIN CERTIFICATE", await Ok(["exec", "mem", "--", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"]));
        var whoami = await Ok(["--token", token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.extra.authentication\\.kubernetes\\.io/pod-name}"]);
        Assert.Equal("system:serviceaccount:default:default [\"mem\"]", whoami);
        Assert.Equal("[\"local\"]", await Ok(["--token", token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.extra.authentication\\.kubernetes\\.io/node-name}"]));
        // As kube-apiserver extends kube-api-access tokens: valid a year, warnafter at the requested 3607 s.
        var payload = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(Base64(token.Split('.')[1]))).RootElement;
        var iat = payload.GetProperty("iat").GetInt64();
        Assert.Equal(365L * 24 * 3600, payload.GetProperty("exp").GetInt64() - iat);
        Assert.Equal(3607, payload.GetProperty("kubernetes.io").GetProperty("warnafter").GetInt64() - iat);
        Assert.Equal("mem", payload.GetProperty("kubernetes.io").GetProperty("pod").GetProperty("name").GetString());
        Assert.Equal("local", payload.GetProperty("kubernetes.io").GetProperty("node").GetProperty("name").GetString());

        var podDir = Path.Combine(Runtime.Options.PodsDir, uid);
        Assert.Contains(Tmpfs.MountPoints(), p => p.StartsWith(podDir + "/", StringComparison.Ordinal));
        await Ok(["delete", "pod", "mem", "--grace-period=1"]);
        await WaitUntilAsync(() => !Directory.Exists(podDir), "the pod folder removed");
        Assert.DoesNotContain(Tmpfs.MountPoints(), p => p.StartsWith(podDir, StringComparison.Ordinal));
        // Its token stops working once the pod is gone.
        Assert.Contains("Unauthorized", (await _kubectl.RunAsync("--token", token, "get", "pods")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConfigMapVolume_IsFailedMount_UntilTheConfigMapExists()
    {
        var events = new RecordingEvents();
        Runtime.Events = events;
        await Apply(Pod("later", "sleep 3600", "configMap: {name: arrives-later}"));
        await WaitUntilAsync(() => events.Recorded.Any(e => e.Pod == "later" && e.Reason == "FailedMount"), "a FailedMount event");
        var failed = events.Recorded.First(e => e.Pod == "later" && e.Reason == "FailedMount");
        Assert.Equal(("Warning", "MountVolume.SetUp failed for volume \"data\" : configmap \"arrives-later\" not found"), (failed.Type, failed.Message));
        Assert.Equal("ContainerCreating", await Ok(["get", "pod", "later", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"]));

        await Ok(["create", "configmap", "arrives-later", "--from-literal=greeting=hello"]);
        await Ok(["wait", "pod/later", "--for=condition=Ready", "--timeout=90s"]);
        Assert.Equal("hello", await Ok(["exec", "later", "--", "cat", "/data/greeting"]));
        await Ok(["delete", "pod", "later", "--grace-period=1"]);
        await Ok(["delete", "configmap", "arrives-later"]);
    }

    private static string Base64(string url) => url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (url.Length % 4)) % 4);

    private static string Pod(string name, string script, string volume) => $"""
        apiVersion: v1
        kind: Pod
        metadata: {"{"}name: {name}{"}"}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: localhost/kubeweb/busybox:1.0
            command: [sh, -c, "{script}"]
            volumeMounts:
            - {"{"}name: data, mountPath: /data{"}"}
          volumes:
          - name: data
            {volume}
        """;

    private async Task Apply(string yaml) => await Ok(["apply", "-f", "-"], yaml);

    private async Task<string> Ok(string[] args, string? stdin = null)
    {
        var r = await _kubectl.RunAsync(args, stdin, Long);
        Assert.True(r.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr}\n{r.Stdout}");
        return r.Stdout;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    private sealed class RecordingEvents : IPodEvents
    {
        public ConcurrentQueue<(string Pod, string Type, string Reason, string Message)> Recorded { get; } = new();

        public void Record(V1Pod pod, string type, string reason, string message, string? fieldPath = null) =>
            Recorded.Enqueue((pod.Metadata.Name, type, reason, message));
    }
}
