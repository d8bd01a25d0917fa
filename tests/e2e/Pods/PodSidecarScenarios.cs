using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>
/// Sidecar containers (init containers with <c>restartPolicy: Always</c>, KEP-753) with kubectl
/// against real pods run through containerd: start order, readiness, restarts, Job-style completion.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class PodSidecarScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private const string Image = "localhost/kubeweb/busybox:1.0";
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);

    [Fact]
    public async Task Sidecar_FeedsTheAppThroughAnEmptyDir_AndItsReadinessGatesThePod()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: feed1}
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
              - name: shared
                emptyDir: {}
              initContainers:
              - name: feeder
                image: {{Image}}
                restartPolicy: Always
                command: ["sh", "-c", "echo from-sidecar > /shared/feed; exec sleep 3600"]
                volumeMounts: [{name: shared, mountPath: /shared}]
                readinessProbe:
                  exec: {command: ["test", "-f", "/tmp/ready"]}
                  periodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "until [ -s /shared/feed ]; do sleep 0.2; done; cat /shared/feed; exec sleep 3600"]
                volumeMounts: [{name: shared, mountPath: /shared}]
            """);
        await PodCommands.WaitForAsync(() => JsonPath("feed1", "{.status.containerStatuses[0].state.running.startedAt}"), s => s.Length > 0);

        Assert.Equal("true false", await JsonPath("feed1", "{.status.initContainerStatuses[0].started} {.status.initContainerStatuses[0].ready}"));
        Assert.Equal("False", await JsonPath("feed1", "{.status.conditions[?(@.type==\"Ready\")].status}"));
        Assert.Equal("True", await JsonPath("feed1", "{.status.conditions[?(@.type==\"Initialized\")].status}"));
        Assert.Matches(@"feed1\s+1/2\s+Running\s+0\s", (await _kubectl.RunAsync("get", "pod", "feed1")).Succeeded().Stdout);
        var logs = await PodCommands.WaitForAsync(async () => (await _kubectl.RunAsync("logs", "feed1", "-c", "app")).Stdout, s => s.Contains("from-sidecar", StringComparison.Ordinal));
        Assert.Equal("from-sidecar\n", logs);

        (await _kubectl.RunAsync("exec", "feed1", "-c", "feeder", "--", "touch", "/tmp/ready")).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/feed1", "--for=condition=Ready", "--timeout=30s"], null, TimeSpan.FromSeconds(40))).Succeeded();

        Assert.Matches(@"feed1\s+2/2\s+Running\s+0\s", (await _kubectl.RunAsync("get", "pod", "feed1")).Succeeded().Stdout);
        Assert.Equal("true", await JsonPath("feed1", "{.status.initContainerStatuses[0].ready}"));
        await DeleteAsync("feed1");
    }

    [Fact]
    public async Task SidecarStartupProbe_HoldsTheNextInitContainer_UntilItSucceeds()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: gate1}
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
              - name: shared
                emptyDir: {}
              initContainers:
              - name: proxy
                image: {{Image}}
                restartPolicy: Always
                command: ["sh", "-c", "sleep 4; echo proxy-up >> /shared/order; touch /tmp/up; exec sleep 3600"]
                volumeMounts: [{name: shared, mountPath: /shared}]
                startupProbe:
                  exec: {command: ["test", "-f", "/tmp/up"]}
                  periodSeconds: 1
                  failureThreshold: 30
              - name: setup
                image: {{Image}}
                command: ["sh", "-c", "echo setup >> /shared/order"]
                volumeMounts: [{name: shared, mountPath: /shared}]
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "cat /shared/order; exec sleep 3600"]
                volumeMounts: [{name: shared, mountPath: /shared}]
            """);
        // The first status with the sidecar running (its startup probe cannot pass for 4 s): the next init container waits.
        var early = await PodCommands.WaitForAsync(
            () => JsonPath("gate1", "{.status.initContainerStatuses[0].state.running.startedAt} {.status.initContainerStatuses[0].started} {.status.initContainerStatuses[1].state.waiting.reason}"),
            s => s.Length > 0 && !s.StartsWith(' '));

        await WaitRunningAsync("gate1");

        Assert.EndsWith(" false PodInitializing", early, StringComparison.Ordinal);
        var logs = await PodCommands.WaitForAsync(async () => (await _kubectl.RunAsync("logs", "gate1", "-c", "app")).Stdout, s => s.Contains("setup", StringComparison.Ordinal));
        Assert.Equal("proxy-up\nsetup\n", logs);
        Assert.Equal("true", await JsonPath("gate1", "{.status.initContainerStatuses[0].started}"));
        await DeleteAsync("gate1");
    }

    [Fact]
    public async Task SidecarThatExits_IsRestarted_AndKubectlCountsItsRestarts()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: flaky1}
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 1
              initContainers:
              - name: flaky
                image: {{Image}}
                restartPolicy: Always
                command: ["sh", "-c", "sleep 1; exit 1"]
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
            """);

        await PodCommands.WaitForAsync(() => JsonPath("flaky1", "{.status.initContainerStatuses[0].restartCount}"), s => int.TryParse(s, out var n) && n >= 2);

        Assert.Equal("Running", await JsonPath("flaky1", "{.status.phase}"));
        Assert.Equal("1", await JsonPath("flaky1", "{.status.initContainerStatuses[0].lastState.terminated.exitCode}"));
        Assert.Matches(@"flaky1\s+[12]/2\s+\S+\s+[2-9]", (await _kubectl.RunAsync("get", "pod", "flaky1")).Succeeded().Stdout);
        await DeleteAsync("flaky1");
    }

    [Fact]
    public async Task NeverPodWithSidecar_Succeeds_WhenItsAppContainerFinishes()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: job1}
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 5
              initContainers:
              - name: helper
                image: {{Image}}
                restartPolicy: Always
                command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "sleep 2; echo done"]
            """);

        (await _kubectl.RunAsync(["wait", "pod/job1", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        await PodCommands.WaitForAsync(() => JsonPath("job1", "{.status.initContainerStatuses[0].state.terminated.exitCode}"), s => s == "0");
        Assert.Equal("0", await JsonPath("job1", "{.status.initContainerStatuses[0].restartCount}"));
        Assert.Matches(@"job1\s+0/2\s+Completed\s+0\s", (await _kubectl.RunAsync("get", "pod", "job1")).Succeeded().Stdout);
        await DeleteAsync("job1");
    }

    [Fact]
    public async Task RegularInitContainerWithAProbe_IsRejected_WithTheUpstreamMessage()
    {
        var result = await _kubectl.RunAsync(["apply", "-f", "-"], $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: badinit}
            spec:
              initContainers:
              - name: init
                image: {{Image}}
                readinessProbe: {exec: {command: ["true"]} }
              containers:
              - name: app
                image: {{Image}}
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always", result.Stderr, StringComparison.Ordinal);
    }

    private Task ApplyAsync(string yaml) => _kubectl.ApplyAsync(yaml);

    private Task WaitRunningAsync(string pod) => _kubectl.WaitRunningAsync(pod);

    private Task DeleteAsync(string pod) => _kubectl.DeletePodAsync(pod);

    private Task<string> JsonPath(string pod, string path) => _kubectl.PodJsonPathAsync(pod, path);

    public void Dispose() => _kubectl.Dispose();
}
