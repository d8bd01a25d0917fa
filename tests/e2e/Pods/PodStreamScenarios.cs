using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>kubectl logs, exec, cp and port-forward against real pods run through containerd.</summary>
[Trait("Category", "E2E")]
[Trait("Category", "Containerd")]
public sealed class PodStreamScenarios(ContainerdServer fixture, ITestOutputHelper output) : IClassFixture<ContainerdServer>, IDisposable
{
    private const string Image = "--image=localhost/kubeweb/busybox:1.0";
    private readonly Infrastructure.Kubectl _kubectl = new(fixture.Server.KubeconfigPath, output);
    private readonly string _tmp = Directory.CreateTempSubdirectory("kw-streams-").FullName;

    private async Task RunPodAsync(string name, params string[] command)
    {
        (await _kubectl.RunAsync(["run", name, Image, "--", .. command])).Succeeded();
        (await _kubectl.RunAsync(["wait", $"pod/{name}", "--for=jsonpath={.status.phase}=Running", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();
    }

    [Fact]
    public async Task Logs_AndFollowSeesALaterLine()
    {
        await RunPodAsync("logs1", "sh", "-c", "echo hello from main; exec sleep 3600");

        var logs = await WaitForAsync(async () => (await _kubectl.RunAsync("logs", "logs1")).Succeeded().Stdout, s => s.Contains("hello from main", StringComparison.Ordinal));
        Assert.Equal("hello from main\n", logs);

        await using var follow = _kubectl.StartWatch("logs", "-f", "logs1");
        await follow.WaitForLineAsync(l => l.Contains("hello from main", StringComparison.Ordinal), "the existing line");
        (await _kubectl.RunAsync("exec", "logs1", "--", "sh", "-c", "echo a later line > /proc/1/fd/1")).Succeeded();
        await follow.WaitForLineAsync(l => l.Contains("a later line", StringComparison.Ordinal), "the later line", TimeSpan.FromSeconds(20));
        (await _kubectl.RunAsync("delete", "pod", "logs1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task LogsFollow_EndsWhenTheContainerExits()
    {
        (await _kubectl.RunAsync("run", "fin1", Image, "--restart=Never", "--", "sh", "-c", "echo a; sleep 3; echo b")).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/fin1", "--for=jsonpath={.status.phase}=Running", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        var follow = await _kubectl.RunAsync(["logs", "-f", "fin1"], null, TimeSpan.FromSeconds(30));
        Assert.Equal("a\nb\n", follow.Succeeded().Stdout);
        (await _kubectl.RunAsync("delete", "pod", "fin1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task Exec_OutputExitCodeAndStdin()
    {
        await RunPodAsync("exec1", "sleep", "3600");

        Assert.Equal("hi\n", (await _kubectl.RunAsync("exec", "exec1", "--", "echo", "hi")).Succeeded().Stdout);

        var failed = await _kubectl.RunAsync("exec", "exec1", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, failed.ExitCode);
        Assert.Equal("out\n", failed.Stdout);
        Assert.Contains("err", failed.Stderr, StringComparison.Ordinal);

        var cat = await _kubectl.RunAsync(["exec", "-i", "exec1", "--", "cat"], "one\ntwo\n", TimeSpan.FromSeconds(30));
        Assert.Equal("one\ntwo\n", cat.Succeeded().Stdout);

        var wc = await _kubectl.RunAsync(["exec", "-i", "exec1", "--", "sh", "-c", "wc -l; exit 4"], "a\nb\nc\n", TimeSpan.FromSeconds(30));
        Assert.Equal(4, wc.ExitCode);
        Assert.Equal("3", wc.Stdout.Trim());
        (await _kubectl.RunAsync("delete", "pod", "exec1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task Cp_IntoThePodAndBackOut()
    {
        await RunPodAsync("cp1", "sleep", "3600");
        var local = Path.Combine(_tmp, "in.txt");
        var content = string.Join('\n', Enumerable.Range(0, 200_000).Select(i => $"line {i}")) + "\n";
        await File.WriteAllTextAsync(local, content);

        (await _kubectl.RunAsync(["cp", local, "cp1:/tmp/in.txt"], null, TimeSpan.FromSeconds(30))).Succeeded();
        Assert.Equal("200000", (await _kubectl.RunAsync("exec", "cp1", "--", "sh", "-c", "wc -l < /tmp/in.txt")).Succeeded().Stdout.Trim());

        var back = Path.Combine(_tmp, "out.txt");
        (await _kubectl.RunAsync(["cp", "cp1:/tmp/in.txt", back], null, TimeSpan.FromSeconds(30))).Succeeded();
        Assert.Equal(content, await File.ReadAllTextAsync(back));
        (await _kubectl.RunAsync("delete", "pod", "cp1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task LogsPrevious_ShowsTheLastAttempt()
    {
        (await _kubectl.RunAsync("run", "prev1", Image, "--restart=Always", "--", "sh", "-c", "echo run $(cat /proc/uptime); sleep 1; exit 1")).Succeeded();

        var restarted = await WaitForAsync(
            async () => (await _kubectl.RunAsync("get", "pod", "prev1", "-o", "jsonpath={.status.containerStatuses[0].restartCount}")).Stdout,
            s => int.TryParse(s, out var n) && n >= 1);
        Assert.True(int.Parse(restarted, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var previous = (await _kubectl.RunAsync("logs", "prev1", "--previous")).Succeeded().Stdout;
        Assert.StartsWith("run ", previous, StringComparison.Ordinal);

        (await _kubectl.RunAsync("delete", "pod", "prev1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task Exec_UnknownContainerAndMissingCommand_AreErrors()
    {
        await RunPodAsync("err1", "sleep", "3600");

        var missing = await _kubectl.RunAsync("exec", "err1", "--", "/no/such/binary");
        Assert.NotEqual(0, missing.ExitCode);
        var wrong = await _kubectl.RunAsync("exec", "err1", "-c", "nope", "--", "true");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("nope", wrong.Stderr, StringComparison.Ordinal);

        (await _kubectl.RunAsync("delete", "pod", "err1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task Attach_WithStdin_ReachesTheMainProcess()
    {
        const string manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: att1
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: localhost/kubeweb/busybox:1.0
                stdin: true
                stdinOnce: true
                command: ["sh", "-c", "while read l; do echo got $l; done; echo bye"]
            """;
        (await _kubectl.RunAsync(["apply", "-f", "-"], manifest)).Succeeded();
        (await _kubectl.RunAsync(["wait", "pod/att1", "--for=jsonpath={.status.phase}=Running", "--timeout=60s"], null, TimeSpan.FromSeconds(70))).Succeeded();

        var attach = await _kubectl.RunAsync(["attach", "-i", "att1"], "hello\nworld\n", TimeSpan.FromSeconds(30));
        Assert.Contains("got hello\ngot world\n", attach.Stdout, StringComparison.Ordinal);

        var logs = await WaitForAsync(async () => (await _kubectl.RunAsync("logs", "att1")).Stdout, l => l.Contains("bye", StringComparison.Ordinal));
        Assert.Equal("got hello\ngot world\nbye\n", logs);
        (await _kubectl.RunAsync("delete", "pod", "att1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    [Fact]
    public async Task PortForward_ReachesHttpdInThePod()
    {
        await RunPodAsync("pf1", "httpd", "-f", "-p", "8080", "-h", "/var/www");

        await using var forward = _kubectl.StartWatch("port-forward", "pod/pf1", ":8080");
        var line = await forward.WaitForLineAsync(l => l.StartsWith("Forwarding from 127.0.0.1:", StringComparison.Ordinal), "the forwarding line");
        var port = int.Parse(line["Forwarding from 127.0.0.1:".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 3; i++)
        {
            // A new connection (and CRI stream) each time.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var body = await http.GetStringAsync($"http://127.0.0.1:{port}/index.html");
            Assert.Contains("kubeweb busybox", body, StringComparison.Ordinal);
        }

        (await _kubectl.RunAsync("delete", "pod", "pf1", "--grace-period=1", "--wait=false")).Succeeded();
    }

    private static async Task<string> WaitForAsync(Func<Task<string>> get, Func<string, bool> done)
    {
        var s = "";
        for (var i = 0; i < 50; i++)
        {
            s = await get();
            if (done(s))
            {
                return s;
            }

            await Task.Delay(200);
        }

        return s;
    }

    public void Dispose()
    {
        _kubectl.Dispose();
        try
        {
            Directory.Delete(_tmp, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
