using System.Diagnostics;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>
/// Probes, lifecycle hooks, kubelet events, OOM kills and <c>exec -it</c> through a terminal, with
/// kubectl against real pods run through containerd.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class PodProbeScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private const string Image = "localhost/kubeweb/busybox:1.0";
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);

    [Fact]
    public async Task LivenessProbe_Failing_RestartsTheContainer_WithUnhealthyAndKillingEvents()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: live1}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "touch /tmp/alive; sleep 4; rm /tmp/alive; exec sleep 3600"]
                livenessProbe:
                  exec: {command: ["test", "-f", "/tmp/alive"]}
                  periodSeconds: 1
                  failureThreshold: 2
            """);

        await PodCommands.WaitForAsync(() => JsonPath("live1", "{.status.containerStatuses[0].restartCount}"), s => int.TryParse(s, out var n) && n >= 1);

        var events = await PodCommands.WaitForAsync(() => Events("live1"), e => e.Contains("Killing", StringComparison.Ordinal));
        Assert.Contains("Unhealthy\tLiveness probe failed: ", events, StringComparison.Ordinal);
        Assert.Contains("Killing\tContainer app failed liveness probe, will be restarted", events, StringComparison.Ordinal);
        var describe = (await _kubectl.RunAsync("describe", "pod", "live1")).Succeeded().Stdout;
        Assert.Contains("Liveness:", describe, StringComparison.Ordinal);
        await DeleteAsync("live1");
    }

    [Fact]
    public async Task ReadinessProbe_FollowsAFileTouchedAndRemovedWithExec()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: ready1}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
                readinessProbe:
                  exec: {command: ["test", "-f", "/tmp/ready"]}
                  periodSeconds: 1
            """);
        await WaitRunningAsync("ready1");
        Assert.Equal("False", await JsonPath("ready1", "{.status.conditions[?(@.type==\"Ready\")].status}"));
        Assert.Equal("true", await JsonPath("ready1", "{.status.containerStatuses[0].started}"));

        (await _kubectl.RunAsync("exec", "ready1", "--", "touch", "/tmp/ready")).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/ready1", "--for=condition=Ready", "--timeout=30s"], null, TimeSpan.FromSeconds(40))).Succeeded();
        Assert.Contains("1/1", (await _kubectl.RunAsync("get", "pod", "ready1")).Succeeded().Stdout, StringComparison.Ordinal);

        (await _kubectl.RunAsync("exec", "ready1", "--", "rm", "/tmp/ready")).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/ready1", "--for=condition=Ready=false", "--timeout=30s"], null, TimeSpan.FromSeconds(40))).Succeeded();
        Assert.Contains("0/1", (await _kubectl.RunAsync("get", "pod", "ready1")).Succeeded().Stdout, StringComparison.Ordinal);
        Assert.Equal("0", await JsonPath("ready1", "{.status.containerStatuses[0].restartCount}"));
        await DeleteAsync("ready1");
    }

    [Fact]
    public async Task HttpGetAndTcpSocketProbes_AgainstBusyboxHttpd_MakeThePodReady()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: http1}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: {{Image}}
                command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
                ports: [{name: http, containerPort: 8080}]
                readinessProbe:
                  httpGet: {path: /index.html, port: http, httpHeaders: [{name: X-Probe, value: kubeweb}]}
                  periodSeconds: 1
                livenessProbe:
                  httpGet: {path: /, port: 8080}
                  periodSeconds: 2
              - name: side
                image: {{Image}}
                command: ["sleep", "3600"]
                readinessProbe:
                  tcpSocket: {port: 8080}
                  periodSeconds: 1
            """);

        (await _kubectl.RunAsync(["wait", "pod/http1", "--for=condition=Ready", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();
        Assert.Equal("true true", await JsonPath("http1", "{.status.containerStatuses[*].ready}"));
        Assert.Equal("0", await JsonPath("http1", "{.status.containerStatuses[?(@.name==\"web\")].restartCount}"));
        await DeleteAsync("http1");
    }

    [Fact]
    public async Task HttpGetProbe_On404_IsUnhealthy()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: http404}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: {{Image}}
                command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
                readinessProbe:
                  httpGet: {path: /missing, port: 8080}
                  periodSeconds: 1
            """);
        await WaitRunningAsync("http404");

        // Probes that ran before httpd listened fail differently; the 404 comes once it does.
        await PodCommands.WaitForAsync(() => Events("http404"), e => e.Contains("Readiness probe failed: HTTP probe failed with statuscode: 404", StringComparison.Ordinal));
        Assert.Equal("False", await JsonPath("http404", "{.status.conditions[?(@.type==\"Ready\")].status}"));
        await DeleteAsync("http404");
    }

    [Fact]
    public async Task StartupProbe_GatesReadinessUntilItSucceeds()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: start1}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
                startupProbe:
                  exec: {command: ["test", "-f", "/tmp/started"]}
                  periodSeconds: 1
                  failureThreshold: 120
                readinessProbe:
                  exec: {command: ["true"]}
                  periodSeconds: 1
                livenessProbe:
                  exec: {command: ["false"]}
                  periodSeconds: 1
                  initialDelaySeconds: 3600
            """);
        await WaitRunningAsync("start1");
        // Readiness would pass at once; the startup probe holds it back while it fails.
        await PodCommands.WaitForAsync(() => Events("start1"), e => e.Contains("Startup probe failed", StringComparison.Ordinal));
        Assert.Equal("false", await JsonPath("start1", "{.status.containerStatuses[0].started}"));
        Assert.Equal("false", await JsonPath("start1", "{.status.containerStatuses[0].ready}"));

        (await _kubectl.RunAsync("exec", "start1", "--", "touch", "/tmp/started")).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/start1", "--for=condition=Ready", "--timeout=30s"], null, TimeSpan.FromSeconds(40))).Succeeded();
        Assert.Equal("true", await JsonPath("start1", "{.status.containerStatuses[0].started}"));
        await DeleteAsync("start1");
    }

    [Fact]
    public async Task PreStopHook_RunsBeforeSigterm_AndItsFileOutlivesThePod()
    {
        var dir = Path.Combine(fixture.Dir, "prestop");
        Directory.CreateDirectory(dir);
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: stop1}
            spec:
              terminationGracePeriodSeconds: 20
              volumes:
              - name: out
                hostPath:
                  path: {{dir}}
                  type: Directory
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "trap 'echo term >> /out/log; exit 0' TERM; echo started >> /out/log; while true; do sleep 1; done"]
                volumeMounts: [{name: out, mountPath: /out}]
                lifecycle:
                  preStop:
                    exec: {command: ["sh", "-c", "echo prestop >> /out/log; sleep 1"]}
            """);
        await WaitRunningAsync("stop1");
        await PodCommands.WaitForAsync(() => Task.FromResult(File.Exists(Path.Combine(dir, "log")) ? File.ReadAllText(Path.Combine(dir, "log")) : ""), s => s.Contains("started", StringComparison.Ordinal));

        (await _kubectl.RunAsync(["delete", "pod", "stop1", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        Assert.Equal("started\nprestop\nterm\n", await File.ReadAllTextAsync(Path.Combine(dir, "log")));
    }

    [Fact]
    public async Task PostStartHook_Failing_KillsTheContainer_WithAFailedPostStartHookEvent()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: post1}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
                lifecycle:
                  postStart:
                    exec: {command: ["sh", "-c", "exit 7"]}
            """);

        var events = await PodCommands.WaitForAsync(() => Events("post1"), e => e.Contains("FailedPostStartHook", StringComparison.Ordinal));
        Assert.Contains("exited with 7", events, StringComparison.Ordinal);
        await PodCommands.WaitForAsync(() => JsonPath("post1", "{.status.containerStatuses[0].restartCount}"), s => int.TryParse(s, out var n) && n >= 1);
        await DeleteAsync("post1");
    }

    [Fact]
    public async Task PostStartHook_Succeeding_RunsBeforeTheContainerIsReported()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: post2}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
                lifecycle:
                  postStart:
                    exec: {command: ["sh", "-c", "echo hooked > /tmp/post"]}
            """);
        await WaitRunningAsync("post2");

        Assert.Equal("hooked\n", (await _kubectl.RunAsync("exec", "post2", "--", "cat", "/tmp/post")).Succeeded().Stdout);
        await DeleteAsync("post2");
    }

    [Fact]
    public async Task MemoryLimit_Exceeded_IsOomKilled()
    {
        await ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: oom1}
            spec:
              restartPolicy: Never
              containers:
              - name: hog
                image: {{Image}}
                command: ["sh", "-c", "tail /dev/zero"]
                resources:
                  limits: {memory: 16Mi}
            """);

        var state = await PodCommands.WaitForAsync(
            () => JsonPath("oom1", "{.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}"),
            s => s.Trim().Length > 0);
        Assert.Equal("OOMKilled 137", state.Trim());
        Assert.Equal("Failed", await JsonPath("oom1", "{.status.phase}"));
        Assert.Equal("Burstable", await JsonPath("oom1", "{.status.qosClass}"));
        await DeleteAsync("oom1");
    }

    [Fact]
    public async Task KubeletEvents_ShowInDescribeAndGetEvents()
    {
        (await _kubectl.RunAsync("run", "ev1", "--image=" + Image, "--", "sleep", "3600")).Succeeded();
        await WaitRunningAsync("ev1");

        var events = await PodCommands.WaitForAsync(() => Events("ev1"), e => e.Contains("Started", StringComparison.Ordinal));
        Assert.Contains($"Pulled\tContainer image \"{Image}\" already present on machine", events, StringComparison.Ordinal);
        Assert.Contains("Created\tCreated container: ev1", events, StringComparison.Ordinal);
        Assert.Contains("Started\tStarted container ev1", events, StringComparison.Ordinal);

        var describe = (await _kubectl.RunAsync("describe", "pod", "ev1")).Succeeded().Stdout;
        Assert.Matches(@"QoS Class:\s+BestEffort", describe);
        Assert.Matches(@"Normal\s+Started\s+\S+\s+kubelet\s+Started container ev1", describe);
        Assert.Matches(@"Normal\s+Scheduled\s+\S+\s+default-scheduler", describe);
        // Event names carry their creation time, so events of the same second list in the order they happened.
        var reasons = System.Text.RegularExpressions.Regex.Matches(describe, @"^\s+Normal\s+(\w+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Scheduled", "Pulled", "Created", "Started"], reasons);

        var source = (await _kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=ev1,reason=Started", "-o",
            "jsonpath={.items[0].source.component} {.items[0].source.host} {.items[0].reportingComponent} {.items[0].involvedObject.fieldPath}")).Succeeded().Stdout;
        Assert.Equal("kubelet local kubelet spec.containers{ev1}", source);

        (await _kubectl.RunAsync("delete", "pod", "ev1", "--grace-period=1")).Succeeded();
    }

    [Fact]
    public async Task ExecInteractive_ThroughAPseudoTerminal_HasATtyWithTheTerminalSize()
    {
        (await _kubectl.RunAsync("run", "tty1", "--image=" + Image, "--", "sleep", "3600")).Succeeded();
        await WaitRunningAsync("tty1");

        // script(1) gives kubectl a pseudo-terminal of 33x111; kubectl puts it in raw mode and sends its size.
        // A background job resizes that terminal to 40x100 once the test creates the trigger file:
        // the kernel sends kubectl SIGWINCH, and kubectl sends the new size.
        var trigger = Path.Combine(fixture.Dir, "resize-now");
        var kubectl = $"{Infrastructure.Kubectl.Binary} --kubeconfig {fixture.Server.KubeconfigPath} --cache-dir {_kubectl.CacheDir} exec -it tty1 -- sh";
        var resizer = $"(while [ ! -f {trigger} ]; do sleep 0.1; done; stty rows 40 cols 100 < /dev/tty) &";
        var psi = new ProcessStartInfo("script", ["-qfec", $"stty rows 33 cols 111; {resizer} {kubectl}", "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var screen = new System.Text.StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (screen)
                {
                    screen.Append(buffer, 0, n);
                }
            }
        });
        string Screen()
        {
            lock (screen)
            {
                return screen.ToString();
            }
        }

        // The shell's prompt says the terminal session is up.
        await PodCommands.WaitForAsync(() => Task.FromResult(Screen()), s => s.Contains("# ", StringComparison.Ordinal));
        await process.StandardInput.WriteAsync("echo T=$(tty); echo S=$(stty size)\r");
        await process.StandardInput.FlushAsync();
        await PodCommands.WaitForAsync(() => Task.FromResult(Screen()), s => s.Contains("S=33 111", StringComparison.Ordinal));

        await File.WriteAllTextAsync(trigger, "");
        await PodCommands.WaitForAsync(async () =>
        {
            await process.StandardInput.WriteAsync("echo R=$(stty size)\r");
            await process.StandardInput.FlushAsync();
            return Screen();
        }, s => s.Contains("R=40 100", StringComparison.Ordinal));
        await process.StandardInput.WriteAsync("exit 5\r");
        await process.StandardInput.FlushAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await process.WaitForExitAsync(cts.Token);
        }

        await reader;
        var text = Screen();
        output.WriteLine(text);
        Assert.Matches(@"T=/dev/pts/\d+", text);
        Assert.Contains("S=33 111", text, StringComparison.Ordinal);
        Assert.Contains("R=40 100", text, StringComparison.Ordinal);
        Assert.Equal(5, process.ExitCode);
        (await _kubectl.RunAsync("delete", "pod", "tty1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    private Task ApplyAsync(string yaml) => _kubectl.ApplyAsync(yaml);

    private Task WaitRunningAsync(string pod) => _kubectl.WaitRunningAsync(pod);

    private Task DeleteAsync(string pod) => _kubectl.DeletePodAsync(pod);

    private Task<string> JsonPath(string pod, string path) => _kubectl.PodJsonPathAsync(pod, path);

    private Task<string> Events(string pod) => _kubectl.PodEventsAsync(pod);

    public void Dispose() => _kubectl.Dispose();
}
