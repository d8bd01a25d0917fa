using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeWeb.Core.Serialization;

/// <summary>
/// A JSON value already encoded, for an <c>object</c>-typed model property (a managedFields entry's
/// fieldsV1): written as its bytes, so a value the server produced as JSON is not parsed into a
/// document only to be written out again. Reading such a property still yields a JsonElement.
/// </summary>
[JsonConverter(typeof(RawJsonValueConverter))]
public sealed class RawJsonValue(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8.Span);
}

internal sealed class RawJsonValueConverter : JsonConverter<RawJsonValue>
{
    public override RawJsonValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return new RawJsonValue(JsonSerializer.SerializeToUtf8Bytes(doc.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, RawJsonValue value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
