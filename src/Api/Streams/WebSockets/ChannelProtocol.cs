using System.Text.Json;

namespace KubeWeb.Api.Streams.WebSockets;

/// <summary>
/// The Kubernetes remote-command WebSocket framing (<c>v4.channel.k8s.io</c>, <c>v5.channel.k8s.io</c>):
/// every binary message starts with its channel byte: 0 stdin, 1 stdout, 2 stderr, 3 error (a Status),
/// 4 resize (JSON <c>{"Width":..,"Height":..}</c>); in v5, <c>[255, n]</c> closes channel n (stdin EOF).
/// </summary>
internal static class ChannelProtocol
{
    public const string V5 = "v5.channel.k8s.io";

    public const string V4 = "v4.channel.k8s.io";

    public const byte Error = 3;

    public const byte Resize = 4;

    public const byte CloseSignal = 255;

    /// <summary>The protocols served, best first.</summary>
    public static readonly string[] Supported = [V5, V4];

    public static byte[] Encode(int channel, ReadOnlySpan<byte> data)
    {
        var message = new byte[data.Length + 1];
        message[0] = (byte)channel;
        data.CopyTo(message.AsSpan(1));
        return message;
    }

    /// <summary>Splits a message; false for an empty one (kubectl's keep-alive pings are empty).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> message, out int channel, out ReadOnlyMemory<byte> data)
    {
        channel = 0;
        data = default;
        if (message.Length == 0)
        {
            return false;
        }

        channel = message.Span[0];
        data = message[1..];
        return true;
    }

    /// <summary>A terminal size message (<c>{"Width":80,"Height":24}</c>), or null when malformed.</summary>
    public static (int Width, int Height)? ParseResize(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            return (Get(root, "Width"), Get(root, "Height"));
        }
        catch (JsonException)
        {
            return null;
        }

        static int Get(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : 0;
    }

    /// <summary>Splits concatenated JSON objects (the SPDY resize stream) and returns the unparsed rest.</summary>
    public static List<(int Width, int Height)> ParseResizes(List<byte> pending)
    {
        var sizes = new List<(int, int)>();
        while (true)
        {
            var start = pending.IndexOf((byte)'{');
            var end = pending.IndexOf((byte)'}');
            if (start < 0 || end < start)
            {
                if (start < 0)
                {
                    pending.Clear();
                }

                return sizes;
            }

            if (ParseResize(pending.GetRange(start, end - start + 1).ToArray()) is { } size)
            {
                sizes.Add(size);
            }

            pending.RemoveRange(0, end + 1);
        }
    }
}
