using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using KubeWeb.Api.Protobuf;

namespace KubeWeb.Api.Tests.Protobuf;

/// <summary>
/// Writes protobuf the way Go's gogo marshaller does for k8s.io/api types: fields in ascending
/// number order, non-pointer scalars always written (even empty), non-pointer structs always
/// written (possibly with length 0), map entries <c>{1: key, 2: value}</c> sorted by key.
/// </summary>
internal sealed class Pb
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    public Pb() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public Pb Str(int number, string value)
    {
        _out.WriteTag(number, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public Pb Strs(int number, params string[] values)
    {
        foreach (var value in values)
        {
            Str(number, value);
        }

        return this;
    }

    public Pb Int(int number, long value)
    {
        _out.WriteTag(number, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public Pb Bool(int number, bool value)
    {
        _out.WriteTag(number, WireFormat.WireType.Varint);
        _out.WriteBool(value);
        return this;
    }

    public Pb Fixed32(int number, uint value)
    {
        _out.WriteTag(number, WireFormat.WireType.Fixed32);
        _out.WriteFixed32(value);
        return this;
    }

    public Pb Fixed64(int number, ulong value)
    {
        _out.WriteTag(number, WireFormat.WireType.Fixed64);
        _out.WriteFixed64(value);
        return this;
    }

    public Pb Bytes(int number, byte[] value)
    {
        _out.WriteTag(number, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public Pb Msg(int number, Action<Pb> build)
    {
        var child = new Pb();
        build(child);
        return Bytes(number, child.ToArray());
    }

    /// <summary>A non-pointer struct that is entirely zero: gogo still writes it, with length 0.</summary>
    public Pb Empty(int number) => Bytes(number, []);

    public Pb Entry(int number, string key, string value) => Msg(number, e => e.Str(1, key).Str(2, value));

    public Pb BytesEntry(int number, string key, byte[] value) => Msg(number, e => e.Str(1, key).Bytes(2, value));

    public Pb QtyEntry(int number, string key, string quantity) =>
        Msg(number, e => e.Str(1, key).Msg(2, q => q.Str(1, quantity)));

    /// <summary>intstr.IntOrString with all three fields, as gogo writes the non-pointer struct.</summary>
    public Pb IntOrString(int number, int? intVal = null, string? strVal = null) =>
        Msg(number, v => v.Int(1, strVal is null ? 0 : 1).Int(2, intVal ?? 0).Str(3, strVal ?? ""));

    public Pb Time(int number, long seconds, int nanos = 0) => Msg(number, t => t.Int(1, seconds).Int(2, nanos));

    /// <summary>A deprecated proto2 group holding one varint field, to exercise skipping.</summary>
    public Pb Group(int number, long inner)
    {
        _out.WriteTag(number, WireFormat.WireType.StartGroup);
        _out.WriteTag(1, WireFormat.WireType.Varint);
        _out.WriteInt64(inner);
        _out.WriteTag(number, WireFormat.WireType.EndGroup);
        return this;
    }

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }
}

internal static class Go
{
    /// <summary>ObjectMeta as gogo writes it for an object a client builds: strings 1..6, generation, zero creationTimestamp.</summary>
    public static Action<Pb> Meta(string name, string ns = "", Action<Pb>? extra = null) => m =>
    {
        m.Str(1, name).Str(2, "").Str(3, ns).Str(4, "").Str(5, "").Str(6, "").Int(7, 0).Empty(8);
        extra?.Invoke(m);
    };

    /// <summary>The <c>k8s\0</c> magic plus runtime.Unknown, as client-go's protobuf serializer writes it.</summary>
    public static byte[] Envelope(string apiVersion, string kind, Action<Pb> body)
    {
        var raw = new Pb();
        body(raw);
        var unknown = new Pb()
            .Msg(1, t => t.Str(1, apiVersion).Str(2, kind))
            .Bytes(2, raw.ToArray())
            .Str(3, "")
            .Str(4, "");
        return [.. "k8s\0"u8, .. unknown.ToArray()];
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static void AssertJson(string expected, JsonObject actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual),
            $"expected {JsonNode.Parse(expected)!.ToJsonString()}\n  actual {actual.ToJsonString()}");

    public static ProtobufDecodeException DecodeFails(byte[] body) =>
        Assert.Throws<ProtobufDecodeException>(() => ProtobufDecoder.Decode(body));
}
