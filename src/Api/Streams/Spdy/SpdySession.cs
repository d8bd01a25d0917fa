using System.Collections.Concurrent;
using System.Threading.Channels;

namespace KubeWeb.Api.Streams.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection as kubectl uses it (moby/spdystream): the client opens
/// streams, the server replies to each at once and exchanges data on them. PINGs are echoed; there is
/// no flow control (spdystream sends no WINDOW_UPDATE and ignores them). Writes are serialized; a slow
/// reader of one stream stalls the read loop, so memory stays bounded.
/// </summary>
internal sealed class SpdySession : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SpdyHeaderCompressor _compressor = new();
    private readonly SpdyHeaderDecompressor _decompressor = new();
    private readonly ConcurrentDictionary<int, SpdyStream> _streams = new();
    private readonly Channel<SpdyStream> _accepted = Channel.CreateUnbounded<SpdyStream>();
    private int _lastStreamId;

    public SpdySession(Stream transport) => _transport = transport;

    /// <summary>Streams the client opened, already replied to; completes when the connection ends.</summary>
    public ChannelReader<SpdyStream> Accepted => _accepted.Reader;

    /// <summary>Reads frames until the connection ends or <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (await SpdyFrame.ReadAsync(_transport, ct) is { } frame)
            {
                switch (frame.Type)
                {
                    case SpdyFrameType.SynStream:
                        var headers = _decompressor.Decompress(frame.HeaderBlock);
                        var stream = new SpdyStream(this, frame.StreamId, headers);
                        _streams[frame.StreamId] = stream;
                        _lastStreamId = frame.StreamId;
                        await WriteAsync(SpdyFrame.SynReply(frame.StreamId, _compressor.Compress([])), ct);
                        if (frame.IsFin)
                        {
                            stream.OnRemoteFin();
                        }

                        _accepted.Writer.TryWrite(stream);
                        break;
                    case SpdyFrameType.Headers:
                        _decompressor.Decompress(frame.HeaderBlock);
                        break;
                    case SpdyFrameType.Data when _streams.TryGetValue(frame.StreamId, out var s):
                        if (frame.Payload.Length > 0)
                        {
                            await s.OnDataAsync(frame.Payload, ct);
                        }

                        if (frame.IsFin)
                        {
                            s.OnRemoteFin();
                        }

                        break;
                    case SpdyFrameType.RstStream when _streams.TryRemove(frame.StreamId, out var r):
                        r.OnReset();
                        break;
                    case SpdyFrameType.Ping:
                        await WriteAsync(frame, ct);
                        break;
                    case SpdyFrameType.GoAway:
                        return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            // The connection ended.
        }
        finally
        {
            _accepted.Writer.TryComplete();
            foreach (var s in _streams.Values)
            {
                s.OnReset();
            }
        }
    }

    internal async Task WriteAsync(SpdyFrame frame, CancellationToken ct)
    {
        var bytes = frame.Encode();
        await _writeLock.WaitAsync(ct);
        try
        {
            await _transport.WriteAsync(bytes, ct);
            await _transport.FlushAsync(ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    internal void Forget(int streamId) => _streams.TryRemove(streamId, out _);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteAsync(SpdyFrame.GoAway(_lastStreamId), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception)
        {
            // Already gone.
        }

        await _transport.DisposeAsync();
        _compressor.Dispose();
    }
}

/// <summary>One client-opened SPDY stream: its headers, incoming data (ending at FIN or reset), and writes.</summary>
internal sealed class SpdyStream(SpdySession session, int id, IReadOnlyDictionary<string, string> headers)
{
    private readonly Channel<byte[]> _data = Channel.CreateBounded<byte[]>(64);
    private int _finSent;

    public int Id { get; } = id;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>Data from the client; completes at its FIN (or a reset, see <see cref="WasReset"/>).</summary>
    public ChannelReader<byte[]> Data => _data.Reader;

    public bool WasReset { get; private set; }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        for (var offset = 0; offset < data.Length; offset += 0xffff)
        {
            var chunk = data.Slice(offset, Math.Min(0xffff, data.Length - offset));
            await session.WriteAsync(SpdyFrame.Data(Id, chunk.Span, fin: false), ct);
        }
    }

    /// <summary>Half-closes the server's side (an empty DATA frame with FIN), once.</summary>
    public async Task CloseWriteAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _finSent, 1) == 0 && !WasReset)
        {
            await session.WriteAsync(SpdyFrame.Data(Id, [], fin: true), ct);
        }
    }

    public async Task ResetAsync(CancellationToken ct)
    {
        if (!WasReset)
        {
            OnReset();
            session.Forget(Id);
            await session.WriteAsync(SpdyFrame.RstStream(Id, 5 /* CANCEL */), ct);
        }
    }

    internal ValueTask OnDataAsync(byte[] data, CancellationToken ct) =>
        WasReset ? ValueTask.CompletedTask : WriteData(data, ct);

    internal void OnRemoteFin() => _data.Writer.TryComplete();

    internal void OnReset()
    {
        WasReset = true;
        _data.Writer.TryComplete();
    }

    private async ValueTask WriteData(byte[] data, CancellationToken ct)
    {
        try
        {
            await _data.Writer.WriteAsync(data, ct);
        }
        catch (ChannelClosedException)
        {
            // Data after FIN: dropped, as spdystream does.
        }
    }
}
