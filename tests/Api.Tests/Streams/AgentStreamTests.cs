using KubeWeb.Api.Streams;
using KubeWeb.Core.Agents;

namespace KubeWeb.Api.Tests.Streams;

public sealed class AgentStreamTests
{
    [Fact]
    public async Task SendData_WaitsForTheAgentsCredit()
    {
        var stream = new AgentStream("s", "c", window: 4, _ => { });
        var input = stream.ReadInputAsync(default).GetAsyncEnumerator();
        var send = stream.SendDataAsync(0, "abcdef"u8.ToArray(), default).AsTask();
        Assert.True(await input.MoveNextAsync());
        Assert.Equal("abcd"u8.ToArray(), input.Current.Data);
        await Task.Delay(50);
        Assert.False(send.IsCompleted);

        // The agent's output stays open until the send is through: an output that ends closes the stream.
        var consuming = stream.ConsumeOutputAsync(FramesUntil(send, new StreamFrame(StreamFrameType.Credit, Value: 4)), default);
        await send.WaitAsync(TimeSpan.FromSeconds(5));
        await consuming.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(await input.MoveNextAsync());
        Assert.Equal("ef"u8.ToArray(), input.Current.Data);
    }

    [Fact]
    public async Task Read_GrantsCreditForTheDataItHandsOut_AndEndsWithTheOutput()
    {
        var closed = false;
        var stream = new AgentStream("s", "c", window: 4, _ => closed = true);
        await stream.ConsumeOutputAsync(Frames(
            new StreamFrame(StreamFrameType.Ready),
            new StreamFrame(StreamFrameType.Data, 1, [1, 2, 3]),
            new StreamFrame(StreamFrameType.Exit, Value: 2)), default);
        var input = stream.ReadInputAsync(default).GetAsyncEnumerator();
        Assert.Equal(StreamFrameType.Ready, (await stream.ReadAsync(default))!.Type);
        Assert.Equal(StreamFrameType.Data, (await stream.ReadAsync(default))!.Type);
        Assert.True(await input.MoveNextAsync());
        Assert.Equal((StreamFrameType.Credit, 3), (input.Current.Type, input.Current.Value));
        Assert.Equal(2, (await stream.ReadAsync(default))!.Value);
        Assert.Null(await stream.ReadAsync(default));
        Assert.True(stream.OutputEnded);
        stream.Close();
        Assert.True(closed);
        Assert.False(await input.MoveNextAsync());
    }

    [Fact]
    public async Task Fail_EndsTheOutputWithAnError()
    {
        var stream = new AgentStream("s", "c", window: 4, _ => { });
        stream.Fail("the node's agent disconnected");
        var frame = await stream.ReadAsync(default);
        Assert.Equal((StreamFrameType.Error, "the node's agent disconnected"), (frame!.Type, frame.Text));
        Assert.Null(await stream.ReadAsync(default));
    }

    private static async IAsyncEnumerable<StreamFrame> FramesUntil(Task done, params StreamFrame[] frames)
    {
        foreach (var f in frames)
        {
            await Task.Yield();
            yield return f;
        }

        await done;
    }

    private static async IAsyncEnumerable<StreamFrame> Frames(params StreamFrame[] frames)
    {
        foreach (var f in frames)
        {
            await Task.Yield();
            yield return f;
        }
    }
}
