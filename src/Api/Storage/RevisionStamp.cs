using System.Buffers.Text;
using System.Text.Json;

namespace KubeWeb.Api.Storage;

/// <summary>
/// Writes a revision into an already encoded object: replaces the value of the top-level
/// <c>metadata.resourceVersion</c> and leaves every other byte as it is. The result is byte for
/// byte what encoding the object again with that resourceVersion gives, so a write is encoded
/// once (on the request's thread, before the revision is known) instead of once more inside the
/// store's single writer. Only the top-level metadata is touched: a <c>resourceVersion</c> key
/// anywhere else (an annotation, an event's involvedObject) is not the object's.
/// </summary>
internal static class RevisionStamp
{
    private static ReadOnlySpan<byte> Metadata => "metadata"u8;

    private static ReadOnlySpan<byte> ResourceVersion => "resourceVersion"u8;

    /// <summary>A copy of <paramref name="json"/> whose metadata.resourceVersion is <paramref name="revision"/>.</summary>
    /// <exception cref="ArgumentException">The JSON has no string metadata.resourceVersion to replace.</exception>
    public static byte[] Stamp(ReadOnlySpan<byte> json, long revision)
    {
        var (start, length) = Locate(json);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(revision, digits, out var n);
        var result = new byte[json.Length - length + n + 2];
        json[..start].CopyTo(result);
        result[start] = (byte)'"';
        digits[..n].CopyTo(result.AsSpan(start + 1));
        result[start + 1 + n] = (byte)'"';
        json[(start + length)..].CopyTo(result.AsSpan(start + n + 2));
        return result;
    }

    /// <summary>Offset and length of the metadata.resourceVersion string token, quotes included.</summary>
    private static (int Start, int Length) Locate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException("not a JSON object", nameof(json));
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals(Metadata);
            reader.Read();
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals(ResourceVersion);
                reader.Read();
                if (isVersion && reader.TokenType == JsonTokenType.String)
                {
                    var start = (int)reader.TokenStartIndex;
                    return (start, (int)reader.BytesConsumed - start);
                }

                reader.Skip();
            }

            break;
        }

        throw new ArgumentException("the object has no metadata.resourceVersion", nameof(json));
    }
}
