using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>
/// A loopback TCP forwarder in front of PostgreSQL, so a test can take the database "down"
/// (the port closes and open connections drop) and bring it back on the same port, or cut a
/// connection right after the client sent COMMIT so the commit's outcome is unknown to the client.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    /// <summary>The wire message of a plain COMMIT: 'Q', length 11, "COMMIT\0".</summary>
    private static readonly byte[] Commit = [(byte)'Q', 0, 0, 0, 11, .. Encoding.ASCII.GetBytes("COMMIT"), 0];
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private int _cutAfterCommit;

    public TcpProxy(IPEndPoint target)
    {
        _target = target;
        Port = StartListener(0);
    }

    public int Port { get; }

    /// <summary>The next connection that sends COMMIT has it delivered, then both sides are dropped before the reply.</summary>
    public void CutNextCommit() => Volatile.Write(ref _cutAfterCommit, 1);

    /// <summary>Closes the port and drops every open connection.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        _listener = null;
        DropAll();
    }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        StartListener(Port);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private int StartListener(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        var stop = _stop.Token;
        _ = Task.Run(() => AcceptLoopAsync(listener, stop), CancellationToken.None);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            lock (_lock)
            {
                _open.Add(client);
                _open.Add(server);
            }

            var link = new Link();
            _ = PumpAsync(client, server, link, fromClient: true);
            _ = PumpAsync(server, client, link, fromClient: false);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, Link link, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                var n = await input.ReadAsync(buffer);
                if (n == 0)
                {
                    break;
                }

                if (!fromClient)
                {
                    if (link.Muted)
                    {
                        continue;
                    }

                    await output.WriteAsync(buffer.AsMemory(0, n));
                    continue;
                }

                var cut = buffer.AsSpan(0, n).IndexOf(Commit) >= 0 && Interlocked.Exchange(ref _cutAfterCommit, 0) == 1;
                link.Muted |= cut;
                await output.WriteAsync(buffer.AsMemory(0, n));
                if (cut)
                {
                    // Let the server commit, then drop the connection before the client hears back.
                    await Task.Delay(300);
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }

        from.Dispose();
        to.Dispose();
    }

    private void DropAll()
    {
        lock (_lock)
        {
            foreach (var c in _open)
            {
                try
                {
                    c.Client?.LingerState = new LingerOption(true, 0);
                }
                catch (ObjectDisposedException)
                {
                }

                c.Dispose();
            }

            _open.Clear();
        }
    }

    private sealed class Link
    {
        public volatile bool Muted;
    }
}
