using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KubeWeb.Agent.Streams;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// An exec or attach session on containerd's streaming server over SPDY/3.1 (protocol
/// <c>v4.channel.k8s.io</c>), used when stdin is requested: unlike the WebSocket channel protocol,
/// SPDY can end one stream (a FIN on stdin) and still read the output and the exit status. A minimal
/// client: one SYN_STREAM per standard stream (header blocks zlib-compressed without a preset
/// dictionary, which the Go framer accepts), data frames, PING replies; the server's header blocks
/// are not read, and flow control is ignored as the server's spdystream does.
/// </summary>
internal sealed class CriSpdyProcess : IContainerProcess
{
    private const int ErrorId = 1;
    private const int StdinId = 3;
    private const int StdoutId = 5;
    private const int StderrId = 7;
    private const int ResizeId = 9;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _net;
    private readonly Pipe? _stdin;
    private readonly Pipe _stdout = new();
    private readonly Pipe? _stderr;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private readonly MemoryStream _compressed = new();
    private readonly ZLibStream _zlib;
    private readonly bool _tty;
    private Task _stdinPump = Task.CompletedTask;

    private CriSpdyProcess(TcpClient tcp, NetworkStream net, PodExecRequest request)
    {
        _tcp = tcp;
        _net = net;
        _tty = request.Tty;
        _zlib = new ZLibStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
        _stdin = request.Stdin ? new Pipe() : null;
        _stderr = request.Stderr && !request.Tty ? new Pipe() : null;
        Stdin = _stdin?.Writer.AsStream();
        Stdout = request.Stdout || request.Tty ? _stdout.Reader.AsStream() : null;
        Stderr = _stderr?.Reader.AsStream();
        Exited = Task.FromResult(0);
    }

    public Stream? Stdin { get; }

    public Stream? Stdout { get; }

    public Stream? Stderr { get; }

    public Task<int> Exited { get; private set; }

    public static async Task<IContainerProcess> ConnectAsync(string url, PodExecRequest request, CancellationToken ct)
    {
        var uri = new Uri(url);
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(uri.Host, uri.Port, ct);
            var net = tcp.GetStream();
            var head = $"POST {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
                "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n";
            await net.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            var response = await ReadHeadAsync(net, ct);
            if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new PodStreamException(500, $"the container runtime's stream did not upgrade: {response.Split('\r')[0]}");
            }

            var p = new CriSpdyProcess(tcp, net, request);
            await p.StartAsync(request, ct);
            return p;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            tcp.Dispose();
            throw new PodStreamException(500, $"could not connect to the container runtime's stream: {e.Message}");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream net, CancellationToken ct)
    {
        // Byte by byte: SPDY frames may follow the response head in the same packet.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024)
        {
            if (await net.ReadAsync(one, ct) == 0)
            {
                break;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    private async Task StartAsync(PodExecRequest request, CancellationToken ct)
    {
        await SynStreamAsync(ErrorId, "error", ct);
        if (request.Stdin)
        {
            await SynStreamAsync(StdinId, "stdin", ct);
        }

        if (request.Stdout || request.Tty)
        {
            await SynStreamAsync(StdoutId, "stdout", ct);
        }

        if (request.Stderr && !request.Tty)
        {
            await SynStreamAsync(StderrId, "stderr", ct);
        }

        if (request.Tty)
        {
            await SynStreamAsync(ResizeId, "resize", ct);
        }

        Exited = ReceiveAsync(_cts.Token);
        if (_stdin is not null)
        {
            _stdinPump = PumpStdinAsync(_stdin.Reader, _cts.Token);
        }
    }

    private async Task SynStreamAsync(int id, string type, CancellationToken ct)
    {
        var block = new MemoryStream();
        WriteInt(block, 1);
        WriteString(block, "streamtype");
        WriteString(block, type);
        _compressed.SetLength(0);
        _zlib.Write(block.ToArray());
        _zlib.Flush();
        var headers = _compressed.ToArray();
        var frame = new byte[8 + 10 + headers.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)(10 + headers.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)id);
        headers.CopyTo(frame, 18);
        await WriteFrameAsync(frame, ct);
    }

    private static void WriteInt(MemoryStream s, int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteString(MemoryStream s, string v)
    {
        var bytes = Encoding.UTF8.GetBytes(v);
        WriteInt(s, bytes.Length);
        s.Write(bytes);
    }

    private async Task WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            await _net.WriteAsync(frame, ct);
        }
        finally
        {
            _send.Release();
        }
    }

    private Task DataAsync(int id, ReadOnlySpan<byte> data, bool fin, CancellationToken ct)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)id);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)data.Length | (fin ? 0x01000000u : 0));
        data.CopyTo(frame.AsSpan(8));
        return WriteFrameAsync(frame, ct);
    }

    public void Resize(int width, int height)
    {
        if (_tty)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, int> { ["Width"] = width, ["Height"] = height }, KubeWeb.Core.Agents.AgentHubJsonContext.Default.DictionaryStringInt32);
            _ = SafeAsync(DataAsync(ResizeId, json, false, _cts.Token));
        }
    }

    private static async Task SafeAsync(Task t)
    {
        try
        {
            await t;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task PumpStdinAsync(PipeReader reader, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct);
                foreach (var segment in result.Buffer)
                {
                    for (var i = 0; i < segment.Length; i += 32 * 1024)
                    {
                        await DataAsync(StdinId, segment.Span.Slice(i, Math.Min(32 * 1024, segment.Length - i)), false, ct);
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await DataAsync(StdinId, [], true, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task<int> ReceiveAsync(CancellationToken ct)
    {
        await Task.Yield();
        var header = new byte[8];
        var status = new MemoryStream();
        var open = new HashSet<int> { ErrorId };
        if (Stdout is not null)
        {
            open.Add(StdoutId);
        }

        if (_stderr is not null)
        {
            open.Add(StderrId);
        }

        var failed = false;
        try
        {
            while (open.Count > 0)
            {
                await _net.ReadExactlyAsync(header, ct);
                var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) & 0xFFFFFF);
                var flags = header[4];
                var payload = new byte[length];
                await _net.ReadExactlyAsync(payload, ct);
                if ((header[0] & 0x80) != 0)
                {
                    var type = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                    switch (type)
                    {
                        case 6: // PING: echoed back
                            await WriteFrameAsync(header.Concat(payload).ToArray(), ct);
                            break;
                        case 3: // RST_STREAM
                            open.Remove((int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF));
                            break;
                        case 7: // GOAWAY
                            open.Clear();
                            break;
                    }

                    continue;
                }

                var id = (int)(BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7FFFFFFF);
                if (length > 0)
                {
                    switch (id)
                    {
                        case ErrorId:
                            status.Write(payload);
                            break;
                        case StdoutId:
                            await _stdout.Writer.WriteAsync(payload, ct);
                            break;
                        case StderrId when _stderr is not null:
                            await _stderr.Writer.WriteAsync(payload, ct);
                            break;
                    }
                }

                if ((flags & 0x01) != 0)
                {
                    open.Remove(id);
                }
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            failed = true;
        }
        finally
        {
            await _stdout.Writer.CompleteAsync();
            if (_stderr is not null)
            {
                await _stderr.Writer.CompleteAsync();
            }

            if (_stdin is not null)
            {
                await _stdin.Reader.CompleteAsync();
            }
        }

        return failed && status.Length == 0 ? 137 : CriWebSocketProcess.ParseStatus(status.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await Exited;
            await _stdinPump;
        }
        catch (OperationCanceledException)
        {
        }

        _tcp.Dispose();
        _zlib.Dispose();
        _cts.Dispose();
        _send.Dispose();
    }
}
