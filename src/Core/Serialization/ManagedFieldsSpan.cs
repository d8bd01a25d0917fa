using System.Text;
using System.Text.Json;

namespace KubeWeb.Core.Serialization;

/// <summary>
/// Where <c>metadata.managedFields</c> sit in an object's JSON encoding, so that readers which never
/// use them (node agents, caches) get the object without them by leaving out one byte range instead
/// of decoding and encoding the object again.
/// </summary>
public static class ManagedFieldsSpan
{
    /// <summary>
    /// The range to leave out: the <c>"managedFields":…</c> member with the comma that joins it to its
    /// neighbour. Length 0 when the object has none (or is not an object with an object metadata).
    /// </summary>
    public static (int Start, int Length) Find(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (0, 0);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var metadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!metadata)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return (0, 0);
            }

            // End of the previous member's value, or just after '{' before the first member.
            var previousEnd = (int)reader.BytesConsumed;
            var first = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var managed = reader.ValueTextEquals("managedFields"u8);
                reader.Read();
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                if (managed)
                {
                    if (!first)
                    {
                        // ,"managedFields":[…] : from the end of the previous value.
                        return (previousEnd, end - previousEnd);
                    }

                    // The first member: take the comma after it (if a member follows) instead.
                    var next = end;
                    while (next < json.Length && IsSpace(json[next]))
                    {
                        next++;
                    }

                    if (next < json.Length && json[next] == (byte)',')
                    {
                        next++;
                        while (next < json.Length && IsSpace(json[next]))
                        {
                            next++;
                        }

                        return (start, next - start);
                    }

                    return (start, end - start);
                }

                first = false;
                previousEnd = end;
            }

            return (0, 0);
        }

        return (0, 0);
    }

    /// <summary>The object's JSON text without metadata.managedFields.</summary>
    public static string TextWithout(ReadOnlySpan<byte> json)
    {
        var (start, length) = Find(json);
        return length == 0
            ? Encoding.UTF8.GetString(json)
            : string.Concat(Encoding.UTF8.GetString(json[..start]), Encoding.UTF8.GetString(json[(start + length)..]));
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
