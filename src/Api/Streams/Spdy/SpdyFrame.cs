using System.Buffers.Binary;

namespace KubeWeb.Api.Streams.Spdy;

internal enum SpdyFrameType : ushort
{
    Data = 0,
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}

/// <summary>
/// One SPDY/3 frame. Control frames: <c>0x8003</c>, type (16), flags (8), length (24), payload.
/// Data frames: stream id (31), flags (8), length (24), payload. Flag 0x01 is FIN on both.
/// </summary>
internal sealed record SpdyFrame(SpdyFrameType Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte Fin = 0x01;

    public const int Version = 3;

    public bool IsFin => (Flags & Fin) != 0;

    /// <summary>Reads one frame; null at a clean end of the transport between frames.</summary>
    public static async Task<SpdyFrame?> ReadAsync(Stream transport, CancellationToken ct)
    {
        var header = new byte[8];
        if (!await ReadExactlyOrEndAsync(transport, header, ct))
        {
            return null;
        }

        var flags = header[4];
        var length = header[5] << 16 | header[6] << 8 | header[7];
        var payload = new byte[length];
        if (length > 0 && !await ReadExactlyOrEndAsync(transport, payload, ct))
        {
            throw new IOException("the SPDY connection ended inside a frame");
        }

        if ((header[0] & 0x80) == 0)
        {
            return new SpdyFrame(SpdyFrameType.Data, flags, BinaryPrimitives.ReadInt32BigEndian(header) & 0x7fffffff, payload);
        }

        var type = (SpdyFrameType)BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        // Every control frame that names a stream puts its id first.
        var streamId = type is SpdyFrameType.SynStream or SpdyFrameType.SynReply or SpdyFrameType.RstStream or SpdyFrameType.Headers or SpdyFrameType.WindowUpdate && payload.Length >= 4
            ? BinaryPrimitives.ReadInt32BigEndian(payload) & 0x7fffffff
            : 0;
        return new SpdyFrame(type, flags, streamId, payload);
    }

    public byte[] Encode()
    {
        var bytes = new byte[8 + Payload.Length];
        if (Type == SpdyFrameType.Data)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes, StreamId & 0x7fffffff);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, 0x8000 | Version);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)Type);
        }

        bytes[4] = Flags;
        bytes[5] = (byte)(Payload.Length >> 16);
        bytes[6] = (byte)(Payload.Length >> 8);
        bytes[7] = (byte)Payload.Length;
        Payload.CopyTo(bytes, 8);
        return bytes;
    }

    public static SpdyFrame Data(int streamId, ReadOnlySpan<byte> data, bool fin) =>
        new(SpdyFrameType.Data, fin ? Fin : (byte)0, streamId, data.ToArray());

    public static SpdyFrame SynStream(int streamId, byte[] compressedHeaders, bool fin = false)
    {
        var payload = new byte[10 + compressedHeaders.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId);
        compressedHeaders.CopyTo(payload, 10);
        return new SpdyFrame(SpdyFrameType.SynStream, fin ? Fin : (byte)0, streamId, payload);
    }

    public static SpdyFrame SynReply(int streamId, byte[] compressedHeaders, bool fin = false)
    {
        var payload = new byte[4 + compressedHeaders.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId);
        compressedHeaders.CopyTo(payload, 4);
        return new SpdyFrame(SpdyFrameType.SynReply, fin ? Fin : (byte)0, streamId, payload);
    }

    public static SpdyFrame RstStream(int streamId, int status)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), status);
        return new SpdyFrame(SpdyFrameType.RstStream, 0, streamId, payload);
    }

    public static SpdyFrame GoAway(int lastStreamId)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, lastStreamId);
        return new SpdyFrame(SpdyFrameType.GoAway, 0, 0, payload);
    }

    /// <summary>The compressed header block of a SYN_STREAM, SYN_REPLY or HEADERS frame.</summary>
    public ReadOnlySpan<byte> HeaderBlock => Type switch
    {
        SpdyFrameType.SynStream => Payload.AsSpan(10),
        SpdyFrameType.SynReply or SpdyFrameType.Headers => Payload.AsSpan(4),
        _ => [],
    };

    private static async Task<bool> ReadExactlyOrEndAsync(Stream transport, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await transport.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                return read == 0 ? false : throw new IOException("the SPDY connection ended inside a frame header");
            }

            read += n;
        }

        return true;
    }
}
