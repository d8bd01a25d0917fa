using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using KubeWeb.Api.Protobuf.Schema;
using WireType = Google.Protobuf.WireFormat.WireType;

namespace KubeWeb.Api.Protobuf;

/// <summary>
/// Walks protobuf wire data with <see cref="CodedInputStream"/> and writes Kubernetes JSON, driven
/// only by the <see cref="MessageSpec"/> tables. Fields the table does not list are skipped by wire
/// type. Invalid data surfaces as <see cref="InvalidProtocolBufferException"/> (from the stream) or
/// <see cref="ProtobufDecodeException"/> (from here).
/// </summary>
internal static class MessageReader
{
    // The tables are not recursive, so real data never comes close; this only bounds hostile input.
    private const int MaxDepth = 48;

    // Duplicate keys would otherwise only surface (as ArgumentException) when a caller reads the node.
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static void ReadInto(ByteString bytes, MessageSpec spec, JsonObject target) => ReadInto(bytes, spec, target, 0);

    private static void ReadInto(ByteString bytes, MessageSpec spec, JsonObject target, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Malformed($"messages are nested more than {MaxDepth} levels deep");
        }

        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wire = CheckedWireType(tag);
            if (spec.TryGetField(WireFormat.GetTagFieldNumber(tag), out var field))
            {
                ReadField(input, wire, field, spec, target, depth);
            }
            else
            {
                input.SkipLastField();
            }
        }
    }

    private static void ReadField(CodedInputStream input, WireType wire, FieldSpec field, MessageSpec owner, JsonObject target, int depth)
    {
        if (field.Repeated && wire == WireType.LengthDelimited && ExpectedWireType(field.Kind) != WireType.LengthDelimited)
        {
            // Packed encoding of a repeated scalar; gogo does not emit it but proto3 writers do.
            var array = ArrayFor(target, field.JsonName);
            var packed = input.ReadBytes().CreateCodedInput();
            while (!packed.IsAtEnd)
            {
                array.Add(ReadScalar(packed, field.Kind));
            }

            return;
        }

        ExpectWireType(wire, field, owner);
        switch (field.Kind)
        {
            case FieldKind.Inline:
                ReadInto(input.ReadBytes(), SchemaSet.Default.Get(field.MessageName!), target, depth + 1);
                return;
            case FieldKind.Map:
                ReadMapEntry(input.ReadBytes(), field, owner, ObjectFor(target, field.JsonName), depth);
                return;
            case FieldKind.Message when !field.Repeated:
                // A message field seen twice merges, as protobuf requires.
                ReadInto(input.ReadBytes(), SchemaSet.Default.Get(field.MessageName!), ObjectFor(target, field.JsonName), depth + 1);
                return;
        }

        var value = ReadValue(input, field, depth);
        if (field.Repeated)
        {
            ArrayFor(target, field.JsonName).Add(value);
        }
        else if (value is null || (!field.KeepZero && IsZero(value)))
        {
            target.Remove(field.JsonName);
        }
        else
        {
            target[field.JsonName] = value;
        }
    }

    private static JsonNode? ReadValue(CodedInputStream input, FieldSpec field, int depth)
    {
        switch (field.Kind)
        {
            case FieldKind.String:
                return JsonValue.Create(input.ReadString());
            case FieldKind.Int32 or FieldKind.Int64 or FieldKind.Bool or FieldKind.Double:
                return ReadScalar(input, field.Kind);
            case FieldKind.Bytes:
                return JsonValue.Create(Convert.ToBase64String(input.ReadBytes().Span));
            case FieldKind.Message:
                var message = new JsonObject();
                ReadInto(input.ReadBytes(), SchemaSet.Default.Get(field.MessageName!), message, depth + 1);
                return message;
            case FieldKind.Quantity:
                return ReadQuantity(input.ReadBytes());
            case FieldKind.IntOrString:
                return ReadIntOrString(input.ReadBytes());
            case FieldKind.Time:
                return ReadTime(input.ReadBytes(), "yyyy-MM-dd'T'HH:mm:ss'Z'");
            case FieldKind.MicroTime:
                return ReadTime(input.ReadBytes(), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
            case FieldKind.RawExtension:
                return ReadRawJson(input.ReadBytes());
            case FieldKind.StringList:
                return ReadStringList(input.ReadBytes());
            default:
                throw new InvalidOperationException($"Field kind {field.Kind} cannot be read as a single value.");
        }
    }

    private static JsonNode ReadScalar(CodedInputStream input, FieldKind kind)
    {
        switch (kind)
        {
            case FieldKind.Int32:
                return JsonValue.Create(input.ReadInt32());
            case FieldKind.Int64:
                return JsonValue.Create(input.ReadInt64());
            case FieldKind.Bool:
                return JsonValue.Create(input.ReadBool());
            default:
                var number = input.ReadDouble();
                return double.IsFinite(number) ? JsonValue.Create(number) : throw Malformed("a double field is not a finite number");
        }
    }

    /// <summary>Map entry <c>{1: key, 2: value}</c>; a missing value is the value type's zero.</summary>
    private static void ReadMapEntry(ByteString bytes, FieldSpec field, MessageSpec owner, JsonObject map, int depth)
    {
        var valueSpec = field.MapValue!;
        var key = "";
        JsonNode? value = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wire = CheckedWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when wire == WireType.LengthDelimited:
                    key = input.ReadString();
                    break;
                case 2:
                    ExpectWireType(wire, valueSpec with { JsonName = $"{field.JsonName} value" }, owner);
                    value = ReadValue(input, valueSpec, depth + 1);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        map[key] = value ?? valueSpec.Kind switch
        {
            FieldKind.Quantity => JsonValue.Create("0"),
            FieldKind.StringList => new JsonArray(),
            _ => JsonValue.Create(""),
        };
    }

    /// <summary>resource.Quantity <c>{1: string}</c>.</summary>
    private static JsonNode ReadQuantity(ByteString bytes)
    {
        var text = "";
        ForEachField(bytes, "Quantity", (number, input) =>
        {
            if (number == 1)
            {
                text = input.ReadString();
                return true;
            }

            return false;
        });
        return JsonValue.Create(text.Length == 0 ? "0" : text);
    }

    /// <summary>intstr.IntOrString <c>{1: type (0 int, 1 string), 2: intVal, 3: strVal}</c>.</summary>
    private static JsonNode ReadIntOrString(ByteString bytes)
    {
        long type = 0;
        var intVal = 0;
        var strVal = "";
        ForEachField(bytes, "IntOrString", (number, input) =>
        {
            switch (number)
            {
                case 1: type = input.ReadInt64(); return true;
                case 2: intVal = input.ReadInt32(); return true;
                case 3: strVal = input.ReadString(); return true;
                default: return false;
            }
        }, WireType.Varint, WireType.Varint, WireType.LengthDelimited);
        return type == 1 ? JsonValue.Create(strVal) : JsonValue.Create(intVal);
    }

    /// <summary>meta/v1 Time or MicroTime <c>{1: seconds, 2: nanos}</c>; an empty message is the zero time (null).</summary>
    private static JsonNode? ReadTime(ByteString bytes, string format)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        long seconds = 0;
        var nanos = 0;
        ForEachField(bytes, "Time", (number, input) =>
        {
            switch (number)
            {
                case 1: seconds = input.ReadInt64(); return true;
                case 2: nanos = input.ReadInt32(); return true;
                default: return false;
            }
        }, WireType.Varint, WireType.Varint);

        if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds || nanos is < 0 or > 999_999_999)
        {
            throw Malformed($"a timestamp is out of range (seconds {seconds}, nanos {nanos})");
        }

        var instant = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return JsonValue.Create(instant.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>RawExtension or FieldsV1 <c>{1: raw}</c>: the raw bytes are embedded JSON.</summary>
    private static JsonNode? ReadRawJson(ByteString bytes)
    {
        var raw = ByteString.Empty;
        ForEachField(bytes, "RawExtension", (number, input) =>
        {
            if (number == 1)
            {
                raw = input.ReadBytes();
                return true;
            }

            return false;
        });

        if (raw.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(raw.Span, documentOptions: StrictJson);
        }
        catch (JsonException ex)
        {
            throw new ProtobufDecodeException(ProtobufDecodeFailure.Malformed, "an embedded raw object is not valid JSON", ex);
        }
    }

    /// <summary>A named string slice such as ExtraValue <c>{1: repeated items}</c>.</summary>
    private static JsonNode ReadStringList(ByteString bytes)
    {
        var items = new JsonArray();
        ForEachField(bytes, "string list", (number, input) =>
        {
            if (number == 1)
            {
                items.Add(JsonValue.Create(input.ReadString()));
                return true;
            }

            return false;
        });
        return items;
    }

    /// <summary>
    /// Runs <paramref name="read"/> for each field of a small fixed message. <paramref name="wireTypes"/>
    /// gives the wire type of fields 1..n (just field 1, length-delimited, when omitted); a known field
    /// with another wire type is malformed. Fields past n are skipped.
    /// </summary>
    private static void ForEachField(ByteString bytes, string message, Func<int, CodedInputStream, bool> read, params WireType[] wireTypes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wire = CheckedWireType(tag);
            var number = WireFormat.GetTagFieldNumber(tag);
            var known = Math.Max(wireTypes.Length, 1);
            if (number <= known)
            {
                var expected = wireTypes.Length == 0 ? WireType.LengthDelimited : wireTypes[number - 1];
                if (wire != expected)
                {
                    throw Malformed($"field {number} of {message} has wire type {wire}, expected {expected}");
                }

                if (read(number, input))
                {
                    continue;
                }
            }

            input.SkipLastField();
        }
    }

    private static WireType CheckedWireType(uint tag)
    {
        var wire = WireFormat.GetTagWireType(tag);
        return (int)wire <= (int)WireType.Fixed32 ? wire : throw Malformed($"tag {tag} has the invalid wire type {(int)wire}");
    }

    private static WireType ExpectedWireType(FieldKind kind) => kind switch
    {
        FieldKind.Int32 or FieldKind.Int64 or FieldKind.Bool => WireType.Varint,
        FieldKind.Double => WireType.Fixed64,
        _ => WireType.LengthDelimited,
    };

    private static void ExpectWireType(WireType actual, FieldSpec field, MessageSpec owner)
    {
        var expected = ExpectedWireType(field.Kind);
        if (actual != expected)
        {
            throw Malformed($"field {field.Number} ({field.JsonName}) of {owner.Name} has wire type {actual}, expected {expected}");
        }
    }

    private static bool IsZero(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>().Length == 0,
        JsonValueKind.False => true,
        JsonValueKind.Number => value.ToJsonString() is "0" or "-0",
        _ => false,
    };

    private static JsonObject ObjectFor(JsonObject target, string name)
    {
        if (target[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        target[name] = created;
        return created;
    }

    private static JsonArray ArrayFor(JsonObject target, string name)
    {
        if (target[name] is JsonArray existing)
        {
            return existing;
        }

        var created = new JsonArray();
        target[name] = created;
        return created;
    }

    private static ProtobufDecodeException Malformed(string detail) =>
        new(ProtobufDecodeFailure.Malformed, $"the protobuf body is malformed: {detail}");
}
