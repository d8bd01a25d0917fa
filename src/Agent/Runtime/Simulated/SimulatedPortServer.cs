using System.Text;
using KubeWeb.Agent.Streams;

namespace KubeWeb.Agent.Runtime.Simulated;

/// <summary>
/// What answers on a simulated pod's ports, in memory: an HTTP request gets a 200 naming the pod and
/// port (then the connection closes); anything else is echoed back until the client's end.
/// </summary>
internal static class SimulatedPortServer
{
    private static readonly string[] HttpMethods = ["GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH "];

    public static Stream Connect(string podName, int port)
    {
        var (client, server) = DuplexPipeStream.Pair();
        _ = ServeAsync(server, podName, port);
        return client;
    }

    private static async Task ServeAsync(DuplexPipeStream connection, string podName, int port)
    {
        await using var _ = connection;
        try
        {
            var buffer = new byte[16 * 1024];
            var head = new MemoryStream();
            var read = await connection.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            var start = Encoding.ASCII.GetString(buffer, 0, Math.Min(read, 8));
            if (!HttpMethods.Any(m => start.StartsWith(m, StringComparison.Ordinal)))
            {
                // Echo.
                do
                {
                    await connection.WriteAsync(buffer.AsMemory(0, read));
                    await connection.FlushAsync();
                    read = await connection.ReadAsync(buffer);
                }
                while (read > 0);
                return;
            }

            head.Write(buffer, 0, read);
            while (!Encoding.ASCII.GetString(head.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                read = await connection.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                head.Write(buffer, 0, read);
            }

            var requestLine = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n")[0];
            var body = $"hello from {podName}:{port} ({requestLine})\n";
            var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            await connection.WriteAsync(Encoding.UTF8.GetBytes(response));
            await connection.FlushAsync();
        }
        catch (IOException)
        {
            // The client went away.
        }
        catch (InvalidOperationException)
        {
            // The pipe was completed under us.
        }
    }
}
