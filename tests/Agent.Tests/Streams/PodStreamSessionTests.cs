using System.Text;
using System.Threading.Channels;
using k8s.Models;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Agent.Streams;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Tests.Streams;

/// <summary>The agent's end of a stream against the simulated runtime, with the server's side played by the test.</summary>
public sealed class PodStreamSessionTests : IAsyncLifetime
{
    private readonly string _logs = Directory.CreateTempSubdirectory("kw-simlogs-").FullName;
    private SimulatedRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _runtime = new SimulatedRuntime(new SimulatedRuntimeOptions { StartDelay = TimeSpan.Zero, LogDirectory = _logs }, TimeProvider.System);
        await _runtime.UpdatePodCidrAsync("10.244.1.0/24", default);
        await _runtime.SyncPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "uid-1" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
        }, default);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await _runtime.GetPodAsync("uid-1", default))?.Containers[0].State != KubeWeb.Agent.Runtime.ContainerState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(10);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_logs, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Exec_Echo_SendsReadyDataThenExit()
    {
        var frames = await RunAsync(Exec(["echo", "hi"]), []);
        Assert.Equal(StreamFrameType.Ready, frames[0].Type);
        Assert.Equal("hi\n", Text(frames, 1));
        Assert.Equal((StreamFrameType.Exit, 0), (frames[^1].Type, frames[^1].Value));
    }

    [Fact]
    public async Task Exec_ShellExitCode_AndStderr()
    {
        var frames = await RunAsync(Exec(["sh", "-c", "echo a; echo b >&2; test -d /tmp && exit 7"]), []);
        Assert.Equal("a\n", Text(frames, 1));
        Assert.Equal("b\n", Text(frames, 2));
        Assert.Equal((StreamFrameType.Exit, 7), (frames[^1].Type, frames[^1].Value));
    }

    [Fact]
    public async Task Exec_Cat_EchoesStdinUntilClose_AndGrantsCredit()
    {
        var frames = await RunAsync(Exec(["cat"], stdin: true), [
            new StreamFrame(StreamFrameType.Data, 0, "one "u8.ToArray()),
            new StreamFrame(StreamFrameType.Data, 0, "two"u8.ToArray()),
            new StreamFrame(StreamFrameType.Close, 0),
        ]);
        Assert.Equal("one two", Text(frames, 1));
        Assert.Equal(7, frames.Where(f => f.Type == StreamFrameType.Credit).Sum(f => f.Value));
        Assert.Equal(StreamFrameType.Exit, frames[^1].Type);
    }

    [Fact]
    public async Task Output_WaitsForCredit()
    {
        var request = Exec(["cat"], stdin: true) with { Window = 4 };
        var output = Channel.CreateUnbounded<StreamFrame>();
        var input = Channel.CreateUnbounded<StreamFrame>();
        var run = new PodStreamSession(request, output.Writer).RunAsync(_runtime, input.Reader.ReadAllAsync(), default);
        input.Writer.TryWrite(new StreamFrame(StreamFrameType.Data, 0, "abcdefgh"u8.ToArray()));

        // Wait (however long a loaded machine takes) for the first window's worth, then check that
        // nothing beyond it follows until credit arrives.
        var sent = new List<StreamFrame>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (Text(sent, 1).Length < 4)
            {
                sent.Add(await output.Reader.ReadAsync(timeout.Token));
            }
        }

        await Task.Delay(200);
        sent.AddRange(Drain(output.Reader));
        Assert.Equal("abcd", Text(sent, 1));
        input.Writer.TryWrite(new StreamFrame(StreamFrameType.Credit, Value: 4));
        input.Writer.TryWrite(new StreamFrame(StreamFrameType.Close, 0));
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("efgh", Text(Drain(output.Reader), 1));
    }

    [Fact]
    public async Task UnknownContainer_IsAnError400()
    {
        var frames = await RunAsync(Exec(["true"]) with { Container = "nope" }, []);
        Assert.Equal((StreamFrameType.Error, 400), (frames.Single().Type, frames.Single().Value));
    }

    [Fact]
    public async Task Logs_CopyTheContainersLog()
    {
        var frames = await RunAsync(new PodStreamRequest("s", PodStreamKind.Logs, "default", "p", "uid-1", "main", 1 << 16, Logs: new PodLogRequest()), []);
        Assert.Equal("simulated container main started (image docker.io/library/busybox:latest)\nmain: ready\n", Text(frames, 1));
    }

    [Fact]
    public async Task PortForward_AnswersHttp_AndRefusesUndeclaredPorts()
    {
        var request = new PodStreamRequest("s", PodStreamKind.PortForward, "default", "p", "uid-1", null, 1 << 16, Port: 80);
        var frames = await RunAsync(request, [new StreamFrame(StreamFrameType.Data, 0, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray())], complete: false);
        Assert.StartsWith("HTTP/1.1 200 OK", Text(frames, 0), StringComparison.Ordinal);
        Assert.Equal((StreamFrameType.Close, 0), (frames[^1].Type, frames[^1].Channel));

        var refused = await RunAsync(request with { Port = 81 }, []);
        Assert.Equal((StreamFrameType.Error, 500), (refused.Single().Type, refused.Single().Value));
    }

    private static PodStreamRequest Exec(string[] command, bool stdin = false) =>
        new("s", PodStreamKind.Exec, "default", "p", "uid-1", "main", 1 << 16, Exec: new PodExecRequest(command, stdin, true, true, false));

    private async Task<List<StreamFrame>> RunAsync(PodStreamRequest request, StreamFrame[] inputs, bool complete = true)
    {
        var output = Channel.CreateUnbounded<StreamFrame>();
        var input = Channel.CreateUnbounded<StreamFrame>();
        foreach (var f in inputs)
        {
            input.Writer.TryWrite(f);
        }

        if (complete)
        {
            input.Writer.TryComplete();
        }

        await new PodStreamSession(request, output.Writer).RunAsync(_runtime, input.Reader.ReadAllAsync(), default).WaitAsync(TimeSpan.FromSeconds(10));
        return Drain(output.Reader);
    }

    private static List<StreamFrame> Drain(ChannelReader<StreamFrame> reader)
    {
        var frames = new List<StreamFrame>();
        while (reader.TryRead(out var f))
        {
            frames.Add(f);
        }

        return frames;
    }

    private static string Text(IEnumerable<StreamFrame> frames, int channel) =>
        Encoding.UTF8.GetString([.. frames.Where(f => f.Type == StreamFrameType.Data && f.Channel == channel).SelectMany(f => f.Data!)]);
}
