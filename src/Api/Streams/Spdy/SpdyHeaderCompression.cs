using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace KubeWeb.Api.Streams.Spdy;

/// <summary>
/// SPDY/3 header blocks: name/value pairs, zlib-compressed with the SPDY/3 preset dictionary, one
/// zlib context per direction, sync-flushed after each block. .NET's own zlib cannot take a preset
/// dictionary, so both directions use SharpZipLib.
/// </summary>
internal static class SpdyHeaderBlock
{
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        using var ms = new MemoryStream();
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, headers.Count);
        ms.Write(four);
        foreach (var (name, value) in headers)
        {
            foreach (var part in new[] { name.ToLowerInvariant(), value })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                BinaryPrimitives.WriteInt32BigEndian(four, bytes.Length);
                ms.Write(four);
                ms.Write(bytes);
            }
        }

        return ms.ToArray();
    }

    /// <summary>Parses an uncompressed block; repeated values (NUL-separated) are kept joined.</summary>
    public static Dictionary<string, string> Decode(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var count = BinaryPrimitives.ReadInt32BigEndian(block);
        var pos = 4;
        for (var i = 0; i < count; i++)
        {
            var nameLength = BinaryPrimitives.ReadInt32BigEndian(block[pos..]);
            var name = Encoding.UTF8.GetString(block.Slice(pos + 4, nameLength));
            pos += 4 + nameLength;
            var valueLength = BinaryPrimitives.ReadInt32BigEndian(block[pos..]);
            var value = Encoding.UTF8.GetString(block.Slice(pos + 4, valueLength));
            pos += 4 + valueLength;
            headers[name] = value;
        }

        return headers;
    }
}

/// <summary>
/// The compressing side of the server's header context. kubectl's reader takes a zlib stream with or
/// without the preset dictionary; .NET's zlib (without one) gives the sync flush spdystream expects
/// after every block, which SharpZipLib's flush does not.
/// </summary>
internal sealed class SpdyHeaderCompressor : IDisposable
{
    private readonly MemoryStream _output = new();
    private readonly System.IO.Compression.ZLibStream _zlib;

    public SpdyHeaderCompressor() => _zlib = new System.IO.Compression.ZLibStream(_output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true);

    public byte[] Compress(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _zlib.Write(SpdyHeaderBlock.Encode(headers));
        _zlib.Flush();
        var bytes = _output.ToArray();
        _output.SetLength(0);
        return bytes;
    }

    public void Dispose() => _zlib.Dispose();
}

/// <summary>The decompressing side of one direction's header context.</summary>
internal sealed class SpdyHeaderDecompressor
{
    private readonly Inflater _inflater = new(noHeader: false);
    private readonly byte[] _buffer = new byte[4096];

    public Dictionary<string, string> Decompress(ReadOnlySpan<byte> compressed)
    {
        _inflater.SetInput(compressed.ToArray());
        using var ms = new MemoryStream();
        while (true)
        {
            var n = _inflater.Inflate(_buffer);
            if (n > 0)
            {
                ms.Write(_buffer, 0, n);
                continue;
            }

            if (_inflater.IsNeedingDictionary)
            {
                _inflater.SetDictionary(SpdyDictionary.Bytes);
                continue;
            }

            break;
        }

        return SpdyHeaderBlock.Decode(ms.ToArray());
    }
}
