using System.Diagnostics;
using System.Text.RegularExpressions;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using k8s.Models;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Streams;

/// <summary>
/// <c>kubectl logs</c>, <c>exec</c>, <c>attach</c> and <c>port-forward</c> with the real kubectl 1.32
/// (and 1.29 for the SPDY exec fallback) against pods on a simulated node, relayed through the agent's
/// hub connection.
/// </summary>
[Trait("Category", "E2E")]
[Trait("Category", "Streams")]
public sealed partial class StreamScenarios(StreamsCluster cluster, ITestOutputHelper output) : IClassFixture<StreamsCluster>, IDisposable
{
    private const string Kubectl129 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.29";
    private readonly Infrastructure.Kubectl _kubectl = new(cluster.Server.KubeconfigPath, output);

    public void Dispose() => _kubectl.Dispose();

    [Fact]
    public async Task Logs_Plain_ShowsTheContainersOutput_WithPartialLinesJoined()
    {
        await cluster.RunPodAsync("logs-plain");
        var logs = (await _kubectl.RunAsync("logs", "logs-plain")).Succeeded().Stdout;
        Assert.Contains("simulated container main started (image docker.io/library/busybox:1.36)\n", logs, StringComparison.Ordinal);
        Assert.Contains("main: ready\n", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_Follow_SeesALaterLine()
    {
        await cluster.RunPodAsync("logs-follow");
        await using var follow = _kubectl.StartWatch("logs", "-f", "logs-follow", "--tail=1");
        // Ticks come once a second: at least two distinct ones prove the stream stayed open.
        var first = await follow.WaitForLineAsync(l => l.StartsWith("tick ", StringComparison.Ordinal), "a tick line");
        await follow.WaitForLineAsync(l => l.StartsWith("tick ", StringComparison.Ordinal) && l != first, "a later tick line");
    }

    [Fact]
    public async Task OpenStreams_DoNotHoldUpTheAgentsOtherCalls()
    {
        await cluster.RunPodAsync("busy-a");
        await using (var follow = _kubectl.StartWatch("logs", "-f", "busy-a"))
        await using (var attach = _kubectl.StartWatch("attach", "busy-a"))
        {
            await follow.WaitForLineAsync(l => l.StartsWith("tick ", StringComparison.Ordinal), "a tick line");
            // Status reports for a new pod travel on the same hub connection as the open streams.
            await cluster.RunPodAsync("busy-b");
            var exec = (await _kubectl.RunAsync("exec", "busy-b", "--", "hostname")).Succeeded();
            Assert.Equal("busy-b\n", exec.Stdout);
            var seen = follow.Lines.Count;
            await follow.WaitForLineAsync(_ => follow.Lines.Count > seen, "a further line while other calls ran");
        }

        // Clients that went away close their streams, on the server and (through CloseStream) on the agent.
        var broker = cluster.Server.Services.GetRequiredService<KubeWeb.Api.Streams.AgentStreamBroker>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (broker.OpenCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{broker.OpenCount} streams still open");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Logs_TailAndTimestamps()
    {
        await cluster.RunPodAsync("logs-tail");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var tail = (await _kubectl.RunAsync("logs", "logs-tail", "--tail=2")).Succeeded().Stdout;
        Assert.Equal(2, tail.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var stamped = (await _kubectl.RunAsync("logs", "logs-tail", "--timestamps")).Succeeded().Stdout;
        var lines = stamped.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 3, stamped);
        Assert.All(lines, l => Assert.Matches(Rfc3339Line(), l));

        var limited = (await _kubectl.RunAsync("logs", "logs-tail", "--limit-bytes=10")).Succeeded().Stdout;
        Assert.Equal("simulated ", limited);
    }

    [Fact]
    public async Task Logs_Container_AndDefaulting()
    {
        await cluster.RunPodAsync("logs-two", "app", "side");
        var side = (await _kubectl.RunAsync("logs", "logs-two", "-c", "side")).Succeeded().Stdout;
        Assert.Contains("side started", side, StringComparison.Ordinal);
        Assert.DoesNotContain("app started", side, StringComparison.Ordinal);

        var defaulted = (await _kubectl.RunAsync("logs", "logs-two")).Succeeded();
        Assert.Contains("app started", defaulted.Stdout, StringComparison.Ordinal);
        Assert.Contains("Defaulted container \"app\" out of: app, side", defaulted.Stderr, StringComparison.Ordinal);

        (await _kubectl.RunAsync("logs", "logs-two", "-c", "nope")).Failed("container nope is not valid for pod logs-two");
    }

    [Fact]
    public async Task Logs_Previous_ShowsTheReplacedContainer()
    {
        await cluster.RunPodAsync("logs-prev");
        (await _kubectl.RunAsync("logs", "logs-prev", "--previous")).Failed("previous terminated container \"main\" in pod \"logs-prev\" not found");

        // An image change restarts the container (restartCount 1): its old log is the previous one.
        (await _kubectl.RunAsync("set", "image", "pod/logs-prev", "main=busybox:1.37")).Succeeded();
        await cluster.WaitForPodAsync("logs-prev", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount == 1);
        var previous = (await _kubectl.RunAsync("logs", "logs-prev", "--previous")).Succeeded().Stdout;
        Assert.Contains("busybox:1.36", previous, StringComparison.Ordinal);
        Assert.Contains("main stopping", previous, StringComparison.Ordinal);
        var current = (await _kubectl.RunAsync("logs", "logs-prev")).Succeeded().Stdout;
        Assert.Contains("busybox:1.37", current, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Echo_PrintsAndSucceeds()
    {
        await cluster.RunPodAsync("exec-echo");
        var result = (await _kubectl.RunAsync("exec", "exec-echo", "--", "echo", "hi", "there")).Succeeded();
        Assert.Equal("hi there\n", result.Stdout);
    }

    [Fact]
    public async Task Exec_NonZeroExit_PropagatesTheCode_AndStderr()
    {
        await cluster.RunPodAsync("exec-exit");
        var result = await _kubectl.RunAsync("exec", "exec-exit", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("command terminated with exit code 3", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Stdin_IsEchoedByCat_AndEndsAtTheCloseSignal()
    {
        await cluster.RunPodAsync("exec-cat");
        var input = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} of some stdin\n"));
        var result = (await _kubectl.RunAsync(["exec", "-i", "exec-cat", "--", "cat"], input)).Succeeded();
        Assert.Equal(input, result.Stdout);
    }

    [Fact]
    public async Task Exec_UnknownContainer_AndCompletedArgs_AreErrors()
    {
        await cluster.RunPodAsync("exec-errors");
        (await _kubectl.RunAsync("exec", "exec-errors", "-c", "nope", "--", "true")).Failed("container nope is not valid for pod exec-errors");
        var missing = await _kubectl.RunAsync("exec", "exec-errors", "--", "no-such-tool");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("executable file not found", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Spdy_WithKubectl129()
    {
        Assert.True(File.Exists(Kubectl129), $"{Kubectl129} is missing");
        await cluster.RunPodAsync("exec-spdy");
        var ok = await Run129(["exec", "exec-spdy", "--", "echo", "over", "spdy"], null);
        Assert.True(ok.Code == 0, ok.Output);
        Assert.Equal("over spdy\n", ok.Stdout);

        var failed = await Run129(["exec", "exec-spdy", "--", "sh", "-c", "exit 4"], null);
        Assert.True(failed.Code == 4, failed.Output);
        Assert.Contains("command terminated with exit code 4", failed.Output, StringComparison.Ordinal);

        var cat = await Run129(["exec", "-i", "exec-spdy", "--", "cat"], "through spdy stdin\n");
        Assert.True(cat.Code == 0, cat.Output);
        Assert.Equal("through spdy stdin\n", cat.Stdout);
    }

    [Fact]
    public async Task PortForward_ServesTwoConcurrentConnections()
    {
        await cluster.RunPodAsync("pf");
        var local = StreamsCluster.FreePort();
        await using var forward = _kubectl.StartWatch("port-forward", "pod/pf", $"{local}:80");
        await forward.WaitForLineAsync(l => l.Contains($"Forwarding from 127.0.0.1:{local}", StringComparison.Ordinal), "the forwarding line");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var bodies = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
            http.GetStringAsync(new Uri($"http://127.0.0.1:{local}/hello/{i}"))));
        Assert.Contains("hello from pf:80 (GET /hello/0 HTTP/1.1)", bodies[0], StringComparison.Ordinal);
        Assert.Contains("hello from pf:80 (GET /hello/1 HTTP/1.1)", bodies[1], StringComparison.Ordinal);
        // And once more after those connections closed.
        Assert.Contains("hello from pf:80", await http.GetStringAsync(new Uri($"http://127.0.0.1:{local}/again")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortForward_RawSpdy_WithKubectl129()
    {
        await cluster.RunPodAsync("pf-spdy");
        var local = StreamsCluster.FreePort();
        using var process = Start129(["port-forward", "pod/pf-spdy", $"{local}:80"]);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains($"Forwarding from 127.0.0.1:{local}", line ?? "", StringComparison.Ordinal);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            Assert.Contains("hello from pf-spdy:80", await http.GetStringAsync(new Uri($"http://127.0.0.1:{local}/")), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Attach_SeesTheMainProcessOutput()
    {
        await cluster.RunPodAsync("attach");
        await using var attach = _kubectl.StartWatch("attach", "attach");
        await attach.WaitForLineAsync(l => l.StartsWith("tick ", StringComparison.Ordinal), "a tick line from the attached process");
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ")]
    private static partial Regex Rfc3339Line();

    private Process Start129(IReadOnlyList<string> args, bool stdin = false)
    {
        var psi = new ProcessStartInfo(Kubectl129)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
        };
        var home = Path.Combine(cluster.Dir, "home129");
        psi.Environment["HOME"] = home;
        psi.Environment.Remove("KUBECONFIG");
        foreach (var a in (string[])["--kubeconfig", cluster.Server.KubeconfigPath, "--cache-dir", Path.Combine(home, "cache"), .. args])
        {
            psi.ArgumentList.Add(a);
        }

        output.WriteLine($"$ kubectl.1.29 {string.Join(' ', args)}");
        return Process.Start(psi)!;
    }

    private async Task<(int Code, string Stdout, string Output)> Run129(IReadOnlyList<string> args, string? stdin)
    {
        using var process = Start129(args, stdin: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        var result = (process.ExitCode, await stdout, await stdout + await stderr);
        output.WriteLine($"exit {result.ExitCode}\n{result.Item3}");
        return result;
    }
}
