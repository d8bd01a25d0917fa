using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KubeWeb.Core.Agents;

namespace KubeWeb.Api.Streams;

/// <summary>
/// The server's end of one pod stream on an agent connection. The HTTP side reads the agent's frames
/// with <see cref="ReadAsync"/> (which grants the agent credit for the data it hands out) and sends
/// with <see cref="SendDataAsync"/> (which waits for the agent's credit) and <see cref="Send"/>. The hub
/// side feeds <see cref="ReadInputAsync"/> to the agent and <see cref="ConsumeOutputAsync"/> from it.
/// </summary>
internal sealed class AgentStream
{
    private readonly Channel<StreamFrame> _input = Channel.CreateUnbounded<StreamFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<StreamFrame> _output = Channel.CreateUnbounded<StreamFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StreamCredit _credit;
    private readonly Action<AgentStream> _closed;
    private int _outputAttached;
    private int _inputAttached;
    private int _disposed;

    public AgentStream(string id, string connectionId, int window, Action<AgentStream> closed)
    {
        Id = id;
        ConnectionId = connectionId;
        _credit = new StreamCredit(window);
        _closed = closed;
    }

    public string Id { get; }

    public string ConnectionId { get; }

    /// <summary>True once the agent completed its output (or the connection failed): nothing more will come.</summary>
    public bool OutputEnded { get; private set; }

    /// <summary>The next frame from the agent, or null at the end of its output.</summary>
    public async ValueTask<StreamFrame?> ReadAsync(CancellationToken ct)
    {
        while (await _output.Reader.WaitToReadAsync(ct))
        {
            if (_output.Reader.TryRead(out var frame))
            {
                if (frame.Type == StreamFrameType.Data && frame.Data is { Length: > 0 } data)
                {
                    Send(new StreamFrame(StreamFrameType.Credit, Value: data.Length));
                }

                return frame;
            }
        }

        return null;
    }

    /// <summary>Sends data on a channel, waiting for the agent to have room for it.</summary>
    public async ValueTask SendDataAsync(int channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (data.Length > 0)
        {
            var n = await _credit.TakeAsync(Math.Min(data.Length, 32 * 1024), ct);
            Send(new StreamFrame(StreamFrameType.Data, channel, data[..n].ToArray()));
            data = data[n..];
        }
    }

    /// <summary>Sends a control frame (close, resize); they do not count against the window.</summary>
    public void Send(StreamFrame frame) => _input.Writer.TryWrite(frame);

    /// <summary>Hub side: what the agent reads. Only one reader may attach.</summary>
    public async IAsyncEnumerable<StreamFrame> ReadInputAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _inputAttached, 1) != 0)
        {
            yield break;
        }

        await foreach (var frame in _input.Reader.ReadAllAsync(ct))
        {
            yield return frame;
        }
    }

    /// <summary>Hub side: takes the agent's frames until it completes its output.</summary>
    public async Task ConsumeOutputAsync(IAsyncEnumerable<StreamFrame> frames, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _outputAttached, 1) != 0)
        {
            return;
        }

        try
        {
            await foreach (var frame in frames.WithCancellation(ct))
            {
                if (frame.Type == StreamFrameType.Credit)
                {
                    _credit.Grant(frame.Value);
                }
                else
                {
                    _output.Writer.TryWrite(frame);
                }
            }

            End(null);
        }
        catch (Exception e)
        {
            End($"the node's stream broke: {e.Message}");
        }
    }

    /// <summary>The agent connection went away, or the agent never attached.</summary>
    public void Fail(string message) => End(message);

    private void End(string? error)
    {
        if (error is not null)
        {
            _output.Writer.TryWrite(new StreamFrame(StreamFrameType.Error, Value: 500, Text: error));
        }

        OutputEnded = true;
        _output.Writer.TryComplete();
        _credit.Close();
    }

    /// <summary>HTTP side, when done: ends the input and tells the agent to stop if it still runs.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _input.Writer.TryComplete();
        _credit.Close();
        _closed(this);
    }
}
