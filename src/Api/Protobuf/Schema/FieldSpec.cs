namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>How one protobuf field maps onto the Kubernetes JSON representation.</summary>
internal enum FieldKind
{
    String,
    Int32,
    Int64,
    Bool,
    Double,
    /// <summary><c>[]byte</c>: base64 (standard alphabet) in JSON, as Go's encoding/json writes it.</summary>
    Bytes,
    /// <summary>A nested message written as a JSON object under the field's name.</summary>
    Message,
    /// <summary>An embedded Go struct (<c>json:",inline"</c>): its fields merge into the parent object.</summary>
    Inline,
    /// <summary><c>map&lt;string, V&gt;</c>: repeated entry messages <c>{1: key, 2: value}</c>.</summary>
    Map,
    /// <summary>resource.Quantity <c>{1: string}</c>, written as its string.</summary>
    Quantity,
    /// <summary>intstr.IntOrString <c>{1: type, 2: intVal, 3: strVal}</c>, written as a number or a string.</summary>
    IntOrString,
    /// <summary>meta/v1 Time <c>{1: seconds, 2: nanos}</c>, written as RFC 3339 with seconds precision.</summary>
    Time,
    /// <summary>meta/v1 MicroTime, written as RFC 3339 with six fractional digits.</summary>
    MicroTime,
    /// <summary>runtime.RawExtension or FieldsV1 <c>{1: raw}</c> whose raw bytes are JSON.</summary>
    RawExtension,
    /// <summary>A named <c>[]string</c> such as ExtraValue <c>{1: repeated items}</c>, written as an array.</summary>
    StringList,
}

/// <summary>
/// One row of a message table. <see cref="KeepZero"/> marks Go pointer fields and fields without
/// <c>omitempty</c>: their zero value is meaningful and is written; every other scalar that carries
/// its zero value is left out, because gogo writes non-pointer scalars even when they are unset.
/// </summary>
internal sealed record FieldSpec(int Number, string JsonName, FieldKind Kind)
{
    /// <summary>The message table for <see cref="FieldKind.Message"/> and <see cref="FieldKind.Inline"/>.</summary>
    public string? MessageName { get; init; }

    public bool Repeated { get; init; }

    public bool KeepZero { get; init; }

    /// <summary>How map values are read; only for <see cref="FieldKind.Map"/>.</summary>
    public FieldSpec? MapValue { get; init; }

    /// <summary>Marks a Go pointer (or non-omitempty) field whose zero value must survive.</summary>
    public FieldSpec Keep() => this with { KeepZero = true };
}

/// <summary>A message table: field number to <see cref="FieldSpec"/>. Unlisted numbers are skipped.</summary>
internal sealed class MessageSpec
{
    private readonly Dictionary<int, FieldSpec> _fields;

    public MessageSpec(string name, IEnumerable<FieldSpec> fields)
    {
        Name = name;
        _fields = new Dictionary<int, FieldSpec>();
        foreach (var field in fields)
        {
            if (!_fields.TryAdd(field.Number, field))
            {
                throw new InvalidOperationException($"Message {name} declares field {field.Number} twice.");
            }
        }
    }

    public string Name { get; }

    public IEnumerable<FieldSpec> Fields => _fields.Values;

    public bool TryGetField(int number, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FieldSpec? field) =>
        _fields.TryGetValue(number, out field);
}
