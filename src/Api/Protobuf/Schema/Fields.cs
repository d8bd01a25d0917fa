namespace KubeWeb.Api.Protobuf.Schema;

/// <summary>
/// Short constructors for message tables, so each table reads like the generated.proto it mirrors:
/// <c>Str(1, "name")</c>, <c>I32(1, "replicas").Keep()</c>, <c>List(2, "containers", "Container")</c>.
/// </summary>
internal static class Fields
{
    public static FieldSpec Str(int number, string name) => new(number, name, FieldKind.String);

    public static FieldSpec I32(int number, string name) => new(number, name, FieldKind.Int32);

    public static FieldSpec I64(int number, string name) => new(number, name, FieldKind.Int64);

    public static FieldSpec Bool(int number, string name) => new(number, name, FieldKind.Bool);

    public static FieldSpec F64(int number, string name) => new(number, name, FieldKind.Double);

    public static FieldSpec Bytes(int number, string name) => new(number, name, FieldKind.Bytes);

    public static FieldSpec Qty(int number, string name) => new(number, name, FieldKind.Quantity);

    public static FieldSpec IntStr(int number, string name) => new(number, name, FieldKind.IntOrString);

    public static FieldSpec Time(int number, string name) => new(number, name, FieldKind.Time);

    public static FieldSpec MicroTime(int number, string name) => new(number, name, FieldKind.MicroTime);

    public static FieldSpec Raw(int number, string name) => new(number, name, FieldKind.RawExtension);

    public static FieldSpec Msg(int number, string name, string message) =>
        new(number, name, FieldKind.Message) { MessageName = message };

    /// <summary>An embedded struct; the JSON name is unused because its fields merge into the parent.</summary>
    public static FieldSpec Inline(int number, string message) =>
        new(number, message, FieldKind.Inline) { MessageName = message };

    public static FieldSpec List(int number, string name, string message) =>
        Msg(number, name, message) with { Repeated = true };

    public static FieldSpec Strs(int number, string name) => Str(number, name) with { Repeated = true };

    public static FieldSpec I64s(int number, string name) => I64(number, name) with { Repeated = true };

    public static FieldSpec StrMap(int number, string name) => MapOf(number, name, new(2, "value", FieldKind.String));

    public static FieldSpec BytesMap(int number, string name) => MapOf(number, name, new(2, "value", FieldKind.Bytes));

    public static FieldSpec QtyMap(int number, string name) => MapOf(number, name, new(2, "value", FieldKind.Quantity));

    /// <summary><c>map&lt;string, ExtraValue&gt;</c> as used by UserInfo and SubjectAccessReviewSpec.</summary>
    public static FieldSpec ExtraMap(int number, string name) => MapOf(number, name, new(2, "value", FieldKind.StringList));

    private static FieldSpec MapOf(int number, string name, FieldSpec value) =>
        new(number, name, FieldKind.Map) { MapValue = value };
}
