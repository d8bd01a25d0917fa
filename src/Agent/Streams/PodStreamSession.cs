using System.Threading.Channels;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Streams;

/// <summary>
/// The agent's end of one pod stream: serves a <see cref="PodStreamRequest"/> from an
/// <see cref="IPodStreams"/>, reading the server's frames from <c>input</c> and writing its own to
/// <c>output</c> (completed when the stream ends). Output data waits for the server's credit;
/// input data is granted back once the container side took it.
/// </summary>
public sealed class PodStreamSession
{
    private readonly PodStreamRequest _request;
    private readonly ChannelWriter<StreamFrame> _output;
    private readonly StreamCredit _credit;

    public PodStreamSession(PodStreamRequest request, ChannelWriter<StreamFrame> output)
    {
        _request = request;
        _output = output;
        _credit = new StreamCredit(request.Window > 0 ? request.Window : AgentStreamProtocol.DefaultWindow);
    }

    /// <summary>Runs the stream to its end; never throws (failures become an Error frame), always completes <c>output</c>.</summary>
    public async Task RunAsync(IPodStreams streams, IAsyncEnumerable<StreamFrame> input, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var target = new PodStreamTarget(_request.Namespace, _request.Name, _request.Uid, _request.Container);
        var started = false;
        try
        {
            switch (_request.Kind)
            {
                case PodStreamKind.Logs:
                    var reader = await streams.OpenLogsAsync(target, _request.Logs ?? new PodLogRequest(), cts.Token);
                    started = Send(new StreamFrame(StreamFrameType.Ready));
                    await RunLogsAsync(reader, input, cts);
                    break;
                case PodStreamKind.Exec or PodStreamKind.Attach:
                    var exec = _request.Exec ?? new PodExecRequest([], false, true, true, false);
                    var process = _request.Kind == PodStreamKind.Exec
                        ? await streams.ExecAsync(target, exec, cts.Token)
                        : await streams.AttachAsync(target, exec, cts.Token);
                    await using (process)
                    {
                        started = Send(new StreamFrame(StreamFrameType.Ready));
                        await RunProcessAsync(process, input, cts);
                    }

                    break;
                case PodStreamKind.ImageImport:
                    if (streams is not IImageImports images || _request.Image is not { } image)
                    {
                        throw new PodStreamException(400, "this node's runtime cannot import images");
                    }

                    var import = await images.ImportImageAsync(image, cts.Token);
                    await using (import)
                    {
                        started = Send(new StreamFrame(StreamFrameType.Ready));
                        await RunProcessAsync(import, input, cts);
                    }

                    break;
                case PodStreamKind.PortForward:
                    var connection = await streams.PortForwardAsync(target, _request.Port, cts.Token);
                    await using (connection)
                    {
                        started = Send(new StreamFrame(StreamFrameType.Ready));
                        await RunPortForwardAsync(connection, input, cts);
                    }

                    break;
            }
        }
        catch (PodStreamException e)
        {
            Send(new StreamFrame(StreamFrameType.Error, Value: e.Code, Text: e.Message));
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The server closed the stream, or the connection went away.
        }
        catch (Exception e)
        {
            Send(new StreamFrame(StreamFrameType.Error, Value: 500, Text: started ? e.Message : $"unable to open the stream: {e.Message}"));
        }
        finally
        {
            _credit.Close();
            await cts.CancelAsync();
            _output.TryComplete();
        }
    }

    private async Task RunLogsAsync(IPodLogReader reader, IAsyncEnumerable<StreamFrame> input, CancellationTokenSource cts)
    {
        var inputs = ReadInputAsync(input, null, null, null, cts.Token);
        await reader.CopyToAsync(new FrameWriteStream(this, AgentStreamProtocol.Stdout), cts.Token);
        await cts.CancelAsync();
        await Quietly(inputs);
    }

    private async Task RunProcessAsync(IContainerProcess process, IAsyncEnumerable<StreamFrame> input, CancellationTokenSource cts)
    {
        var inputs = ReadInputAsync(input, process.Stdin, process.Stdin, process, cts.Token);
        var stdout = process.Stdout is { } o ? o.CopyToAsync(new FrameWriteStream(this, AgentStreamProtocol.Stdout), cts.Token) : Task.CompletedTask;
        var stderr = process.Stderr is { } e ? e.CopyToAsync(new FrameWriteStream(this, AgentStreamProtocol.Stderr), cts.Token) : Task.CompletedTask;
        await Task.WhenAll(stdout, stderr);
        var code = await process.Exited.WaitAsync(cts.Token);
        Send(new StreamFrame(StreamFrameType.Exit, Value: code));
        await cts.CancelAsync();
        await Quietly(inputs);
    }

    private async Task RunPortForwardAsync(Stream connection, IAsyncEnumerable<StreamFrame> input, CancellationTokenSource cts)
    {
        var inputs = ReadInputAsync(input, connection, null, null, cts.Token);
        await connection.CopyToAsync(new FrameWriteStream(this, 0), cts.Token);
        Send(new StreamFrame(StreamFrameType.Close, 0));
        // The pod closed its side; whatever the client still sends has nowhere to go.
        await cts.CancelAsync();
        await Quietly(inputs);
    }

    /// <summary>Dispatches the server's frames: credit, data (to <paramref name="sink"/>), close (of <paramref name="closable"/>), resize.</summary>
    private async Task ReadInputAsync(IAsyncEnumerable<StreamFrame> input, Stream? sink, Stream? closable, IContainerProcess? process, CancellationToken ct)
    {
        await Task.Yield();
        await foreach (var frame in input.WithCancellation(ct))
        {
            switch (frame.Type)
            {
                case StreamFrameType.Credit:
                    _credit.Grant(frame.Value);
                    break;
                case StreamFrameType.Data when frame.Data is { Length: > 0 } data:
                    if (sink is not null)
                    {
                        await sink.WriteAsync(data, ct);
                        await sink.FlushAsync(ct);
                    }

                    Send(new StreamFrame(StreamFrameType.Credit, Value: data.Length));
                    break;
                case StreamFrameType.Close:
                    if (closable is not null && closable == process?.Stdin)
                    {
                        await closable.DisposeAsync();
                    }
                    else if (closable is not null)
                    {
                        HalfClose.CloseWrite(closable);
                    }

                    break;
                case StreamFrameType.Resize:
                    process?.Resize(frame.Width, frame.Height);
                    break;
            }
        }
    }

    private bool Send(StreamFrame frame) => _output.TryWrite(frame);

    private async ValueTask SendDataAsync(int channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (data.Length > 0)
        {
            var n = await _credit.TakeAsync(Math.Min(data.Length, 32 * 1024), ct);
            Send(new StreamFrame(StreamFrameType.Data, channel, data[..n].ToArray()));
            data = data[n..];
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Input ends with the stream: cancellation or a connection that went away.
        }
    }

    /// <summary>A write-only stream whose writes become data frames on one channel, under credit.</summary>
    private sealed class FrameWriteStream(PodStreamSession session, int channel) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            session.SendDataAsync(channel, buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            session.SendDataAsync(channel, buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
