using KubeWeb.Api.Streams.Spdy;

namespace KubeWeb.Api.Tests.Streams;

public sealed class SpdyFramingTests
{
    [Fact]
    public void HeaderCompression_RoundTripsSeveralBlocks_OnOneContext()
    {
        var compressor = new SpdyHeaderCompressor();
        var decompressor = new SpdyHeaderDecompressor();
        for (var i = 0; i < 3; i++)
        {
            var headers = new List<KeyValuePair<string, string>> { new("streamtype", "data"), new("port", "80"), new("requestid", i.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            var block = compressor.Compress(headers);
            var decoded = decompressor.Decompress(block);
            Assert.Equal("data", decoded["streamtype"]);
            Assert.Equal("80", decoded["port"]);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), decoded["requestid"]);
        }
    }

    [Fact]
    public void Decompressor_ReadsBlocksCompressedWithThePresetDictionary_AsKubectlSendsThem()
    {
        // kubectl (spdystream) compresses with the SPDY/3 dictionary, one context, a sync flush per block.
        var deflater = new ICSharpCode.SharpZipLib.Zip.Compression.Deflater(6, noZlibHeaderOrFooter: false);
        deflater.SetDictionary(SpdyDictionary.Bytes);
        var decompressor = new SpdyHeaderDecompressor();
        foreach (var type in new[] { "error", "data" })
        {
            deflater.SetInput(SpdyHeaderBlock.Encode([new("streamtype", type), new("port", "8080")]));
            deflater.Flush();
            var buffer = new byte[1024];
            var n = deflater.Deflate(buffer);
            var headers = decompressor.Decompress(buffer.AsSpan(0, n));
            Assert.Equal(type, headers["streamtype"]);
            Assert.Equal("8080", headers["port"]);
        }
    }

    [Fact]
    public void Compressor_SyncFlushesEveryBlock()
    {
        var compressor = new SpdyHeaderCompressor();
        var first = compressor.Compress([new("streamtype", "error")]);
        Assert.Equal(0x78, first[0]);
        Assert.Equal(0, ((first[0] << 8) | first[1]) % 31);
        Assert.Equal(new byte[] { 0x00, 0x00, 0xff, 0xff }, first[^4..]);
        var second = compressor.Compress([]);
        Assert.Equal(new byte[] { 0x00, 0x00, 0xff, 0xff }, second[^4..]);
    }

    [Fact]
    public void Dictionary_IsTheSpdy3One()
    {
        Assert.Equal(1423, SpdyDictionary.Bytes.Length);
        var shared = Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/spdy3-dictionary.bin");
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllBytes(shared), SpdyDictionary.Bytes);
        }
    }

    [Fact]
    public async Task Frames_RoundTrip_ControlAndData()
    {
        var compressor = new SpdyHeaderCompressor();
        var frames = new[]
        {
            SpdyFrame.SynStream(1, compressor.Compress([new("streamtype", "error")])),
            SpdyFrame.SynReply(3, compressor.Compress([])),
            SpdyFrame.Data(3, "hello"u8, fin: true),
            SpdyFrame.RstStream(5, 5),
            SpdyFrame.GoAway(7),
        };
        using var ms = new MemoryStream();
        foreach (var f in frames)
        {
            ms.Write(f.Encode());
        }

        ms.Position = 0;
        var decompressor = new SpdyHeaderDecompressor();
        var syn = await SpdyFrame.ReadAsync(ms, default);
        Assert.Equal((SpdyFrameType.SynStream, 1), (syn!.Type, syn.StreamId));
        Assert.Equal("error", decompressor.Decompress(syn.HeaderBlock)["streamtype"]);
        var reply = await SpdyFrame.ReadAsync(ms, default);
        Assert.Equal((SpdyFrameType.SynReply, 3), (reply!.Type, reply.StreamId));
        Assert.Empty(decompressor.Decompress(reply.HeaderBlock));
        var data = await SpdyFrame.ReadAsync(ms, default);
        Assert.Equal((SpdyFrameType.Data, 3, true), (data!.Type, data.StreamId, data.IsFin));
        Assert.Equal("hello"u8.ToArray(), data.Payload);
        var rst = await SpdyFrame.ReadAsync(ms, default);
        Assert.Equal((SpdyFrameType.RstStream, 5), (rst!.Type, rst.StreamId));
        Assert.Equal(SpdyFrameType.GoAway, (await SpdyFrame.ReadAsync(ms, default))!.Type);
        Assert.Null(await SpdyFrame.ReadAsync(ms, default));
    }

    [Fact]
    public void ControlFrameHeader_IsVersion3()
    {
        var bytes = SpdyFrame.RstStream(1, 5).Encode();
        Assert.Equal(new byte[] { 0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08 }, bytes[..8]);
        var data = SpdyFrame.Data(0x01020304, [1, 2, 3], fin: true).Encode();
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04, 0x01, 0x00, 0x00, 0x03, 1, 2, 3 }, data);
    }
}
