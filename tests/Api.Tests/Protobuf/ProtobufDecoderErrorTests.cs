using KubeWeb.Api.Protobuf;
using static KubeWeb.Api.Tests.Protobuf.Go;

namespace KubeWeb.Api.Tests.Protobuf;

/// <summary>Bad input of any shape ends in <see cref="ProtobufDecodeException"/>, never anything else.</summary>
public sealed class ProtobufDecoderErrorTests
{
    [Fact]
    public void IsEnvelope_RecognisesOnlyTheMagicPrefix()
    {
        Assert.True(ProtobufDecoder.IsEnvelope("k8s\0\n\0"u8));
        Assert.True(ProtobufDecoder.IsEnvelope("k8s\0"u8));
        Assert.False(ProtobufDecoder.IsEnvelope("k8s"u8));
        Assert.False(ProtobufDecoder.IsEnvelope("""{"kind":"Secret"}"""u8));
        Assert.False(ProtobufDecoder.IsEnvelope([]));
    }

    [Fact]
    public void Decode_WithoutMagic_IsMalformed()
    {
        var error = DecodeFails(Utf8("""{"apiVersion":"v1","kind":"Secret"}"""));

        Assert.Equal(ProtobufDecodeFailure.Malformed, error.Failure);
        Assert.Contains("k8s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownKind_IsUnsupported()
    {
        var error = DecodeFails(Envelope("example.com/v1", "Widget", w => w.Msg(1, Meta("w"))));

        Assert.Equal(ProtobufDecodeFailure.Unsupported, error.Failure);
        Assert.Contains("example.com/v1, Kind=Widget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EnvelopeWithoutKind_IsMalformed()
    {
        Assert.Equal(ProtobufDecodeFailure.Malformed, DecodeFails("k8s\0"u8.ToArray()).Failure);
    }

    [Fact]
    public void Decode_WithContentEncoding_IsUnsupported()
    {
        var unknown = new Pb()
            .Msg(1, t => t.Str(1, "v1").Str(2, "Secret"))
            .Bytes(2, [])
            .Str(3, "gzip");

        var error = DecodeFails([.. "k8s\0"u8, .. unknown.ToArray()]);

        Assert.Equal(ProtobufDecodeFailure.Unsupported, error.Failure);
    }

    [Fact]
    public void Decode_KnownFieldWithWrongWireType_IsMalformed()
    {
        var error = DecodeFails(Envelope("v1", "Secret", s => s.Int(1, 5)));

        Assert.Equal(ProtobufDecodeFailure.Malformed, error.Failure);
        Assert.Contains("field 1 (metadata) of Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmbeddedRawThatIsNotJson_IsMalformed()
    {
        var body = Envelope("v1", "Secret", s => s.Msg(1, m => m
            .Msg(17, f => f.Msg(7, raw => raw.Bytes(1, Utf8("{not json"))))));

        Assert.Equal(ProtobufDecodeFailure.Malformed, DecodeFails(body).Failure);
    }

    [Fact]
    public void Decode_EmbeddedRawWithDuplicateKeys_IsMalformed()
    {
        var body = Envelope("v1", "Secret", s => s.Msg(1, m => m
            .Msg(17, f => f.Msg(7, raw => raw.Bytes(1, Utf8("""{"a":{},"a":{}}"""))))));

        Assert.Equal(ProtobufDecodeFailure.Malformed, DecodeFails(body).Failure);
    }

    [Fact]
    public void Decode_TimestampOutOfRange_IsMalformed()
    {
        var body = Envelope("v1", "Secret", s => s.Msg(1, m => m.Time(8, long.MaxValue)));

        Assert.Equal(ProtobufDecodeFailure.Malformed, DecodeFails(body).Failure);
    }

    [Fact]
    public void Decode_EveryTruncationOfAValidBody_FailsCleanlyOrDecodes()
    {
        var body = SampleDeployment();

        for (var length = 0; length < body.Length; length++)
        {
            AssertDecodesOrFailsCleanly(body.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void Decode_RandomGarbageAndByteFlips_FailCleanlyOrDecode()
    {
        var random = new Random(1234);
        var body = SampleDeployment();

        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])body.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(4, mutated.Length)] = (byte)random.Next(256);
            }

            AssertDecodesOrFailsCleanly(mutated);
        }

        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(0, 64)];
            random.NextBytes(garbage);
            AssertDecodesOrFailsCleanly([.. "k8s\0"u8, .. garbage]);
        }
    }

    [Fact]
    public void Decode_InvalidUtf8InStrings_DoesNotThrowOtherExceptions()
    {
        var body = Envelope("v1", "Secret", s => s.Msg(1, m => m.Bytes(1, [0xc3, 0x28, 0xff])));

        AssertDecodesOrFailsCleanly(body);
    }

    private static void AssertDecodesOrFailsCleanly(byte[] body)
    {
        try
        {
            var json = ProtobufDecoder.Decode(body);
            Assert.NotNull(json.ToJsonString());
        }
        catch (ProtobufDecodeException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
    }

    private static byte[] SampleDeployment() => Envelope("apps/v1", "Deployment", d => d
        .Msg(1, Meta("web", "dev", m => m.Entry(11, "app", "web").Time(8, 1704067200)))
        .Msg(2, spec => spec
            .Int(1, 2)
            .Msg(2, sel => sel.Entry(1, "app", "web"))
            .Msg(3, tpl => tpl
                .Msg(1, Meta("", extra: m => m.Entry(11, "app", "web")))
                .Msg(2, ProtobufDecoderKubectlTests.PodSpec(c => c
                    .Str(1, "nginx").Str(2, "nginx")
                    .Msg(6, p => p.Int(3, 80))
                    .Msg(8, r => r.QtyEntry(1, "cpu", "1")))))
            .Msg(4, st => st.Str(1, "RollingUpdate").Msg(2, ru => ru.IntOrString(1, strVal: "25%").IntOrString(2, intVal: 1))))
        .Msg(3, st => st.Int(2, 0)));
}
