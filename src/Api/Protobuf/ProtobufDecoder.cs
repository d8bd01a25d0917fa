using System.Text.Json.Nodes;
using Google.Protobuf;
using KubeWeb.Api.Protobuf.Schema;

namespace KubeWeb.Api.Protobuf;

/// <summary>
/// Turns an <c>application/vnd.kubernetes.protobuf</c> request body into the JSON object the same
/// request would have carried as <c>application/json</c>, so everything past the HTTP edge sees JSON.
/// Stateless and thread-safe; the schema tables are built once on first use.
/// </summary>
public static class ProtobufDecoder
{
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>True when <paramref name="body"/> starts with the Kubernetes protobuf magic <c>k8s\0</c>.</summary>
    public static bool IsEnvelope(ReadOnlySpan<byte> body) => body.StartsWith(Magic);

    /// <summary>True when <see cref="Decode"/> has a schema for this apiVersion and kind.</summary>
    public static bool IsSupported(string apiVersion, string kind) =>
        SchemaSet.Default.TryGetRoot(apiVersion, kind, out _);

    /// <summary>
    /// Reads the <c>runtime.Unknown</c> envelope and decodes its raw bytes by the kind it names. The
    /// result has <c>apiVersion</c> and <c>kind</c> first, Kubernetes JSON field names, and no unset
    /// fields. Throws <see cref="ProtobufDecodeException"/> (and nothing else) for bad input.
    /// </summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!IsEnvelope(body))
        {
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Malformed,
                "the body is not a Kubernetes protobuf envelope (missing the 'k8s\\0' prefix)");
        }

        try
        {
            var envelope = Envelope.Read(new CodedInputStream(body[Magic.Length..].ToArray()));
            var root = ResolveRoot(envelope);
            var result = new JsonObject
            {
                ["apiVersion"] = envelope.ApiVersion,
                ["kind"] = envelope.Kind,
            };
            MessageReader.ReadInto(envelope.Raw, root, result);
            return result;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Malformed,
                $"the protobuf body is malformed: {ex.Message}", ex);
        }
    }

    private static MessageSpec ResolveRoot(Envelope envelope)
    {
        if (envelope.Kind.Length == 0)
        {
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Malformed,
                "the protobuf envelope does not name a kind");
        }

        if (envelope.ContentEncoding.Length != 0)
        {
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Unsupported,
                $"the protobuf envelope uses content encoding '{envelope.ContentEncoding}', which is not supported");
        }

        if (envelope.ContentType.Length != 0 && envelope.ContentType != "application/vnd.kubernetes.protobuf")
        {
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Unsupported,
                $"the protobuf envelope wraps content type '{envelope.ContentType}', which is not supported");
        }

        if (!SchemaSet.Default.TryGetRoot(envelope.ApiVersion, envelope.Kind, out var root))
        {
            var gvk = envelope.ApiVersion.Length == 0 ? envelope.Kind : $"{envelope.ApiVersion}, Kind={envelope.Kind}";
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Unsupported,
                $"protobuf bodies for {gvk} are not supported; send application/json");
        }

        return root;
    }

    /// <summary>runtime.Unknown: 1 TypeMeta{1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType.</summary>
    private sealed record Envelope(string ApiVersion, string Kind, ByteString Raw, string ContentEncoding, string ContentType)
    {
        public static Envelope Read(CodedInputStream input)
        {
            var envelope = new Envelope("", "", ByteString.Empty, "", "");
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var number = WireFormat.GetTagFieldNumber(tag);
                if (number is < 1 or > 4 || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    input.SkipLastField();
                    continue;
                }

                envelope = number switch
                {
                    1 => envelope.WithTypeMeta(input.ReadBytes()),
                    2 => envelope with { Raw = input.ReadBytes() },
                    3 => envelope with { ContentEncoding = input.ReadString() },
                    _ => envelope with { ContentType = input.ReadString() },
                };
            }

            return envelope;
        }

        private Envelope WithTypeMeta(ByteString bytes)
        {
            var result = this;
            var input = bytes.CreateCodedInput();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var number = WireFormat.GetTagFieldNumber(tag);
                if (number is < 1 or > 2 || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    input.SkipLastField();
                    continue;
                }

                result = number == 1 ? result with { ApiVersion = input.ReadString() } : result with { Kind = input.ReadString() };
            }

            return result;
        }
    }
}
