using System.Text;
using System.Text.Json;
using KubeWeb.Api.Streams;
using KubeWeb.Api.Streams.WebSockets;

namespace KubeWeb.Api.Tests.Streams;

public sealed class ChannelProtocolTests
{
    [Fact]
    public void Encode_PrefixesTheChannel()
    {
        Assert.Equal(new byte[] { 1, (byte)'h', (byte)'i' }, ChannelProtocol.Encode(1, "hi"u8));
        Assert.Equal(new byte[] { 3 }, ChannelProtocol.Encode(3, []));
    }

    [Fact]
    public void Decode_SplitsChannelAndPayload_IncludingTheV5CloseSignal()
    {
        Assert.True(ChannelProtocol.TryDecode(new byte[] { 0, 65, 66 }, out var channel, out var data));
        Assert.Equal((0, "AB"), (channel, Encoding.ASCII.GetString(data.Span)));
        Assert.True(ChannelProtocol.TryDecode(new byte[] { 255, 0 }, out channel, out data));
        Assert.Equal((ChannelProtocol.CloseSignal, (byte)0), (channel, data.Span[0]));
        Assert.False(ChannelProtocol.TryDecode(Array.Empty<byte>(), out _, out _));
    }

    [Fact]
    public void Resize_ParsesKubectlsJson()
    {
        Assert.Equal((80, 24), ChannelProtocol.ParseResize("{\"Width\":80,\"Height\":24}"u8));
        Assert.Null(ChannelProtocol.ParseResize("{nope"u8));
        var pending = new List<byte>(Encoding.ASCII.GetBytes("{\"Width\":1,\"Height\":2}{\"Width\":3,\"Height\":4}{\"Wid"));
        Assert.Equal([(1, 2), (3, 4)], ChannelProtocol.ParseResizes(pending));
        Assert.Equal("{\"Wid", Encoding.ASCII.GetString([.. pending]));
    }

    [Fact]
    public void ExitStatus_IsWhatKubectlDecodes()
    {
        using var ok = JsonDocument.Parse(ExecStatus.Exited(0, ["true"]));
        Assert.Equal("Success", ok.RootElement.GetProperty("status").GetString());
        using var failed = JsonDocument.Parse(ExecStatus.Exited(3, ["sh", "-c", "exit 3"]));
        Assert.Equal("NonZeroExitCode", failed.RootElement.GetProperty("reason").GetString());
        var cause = failed.RootElement.GetProperty("details").GetProperty("causes")[0];
        Assert.Equal(("ExitCode", "3"), (cause.GetProperty("reason").GetString(), cause.GetProperty("message").GetString()));
    }
}
