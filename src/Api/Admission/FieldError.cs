namespace KubeWeb.Api.Admission;

/// <summary>
/// One field error as Kubernetes reports it in <c>Status.details.causes</c>. <see cref="Reason"/> is
/// the cause type (FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate,
/// FieldValueForbidden, FieldValueTooLong ...); <see cref="Message"/> is the text kubectl prints after
/// the field path, e.g. <c>Required value</c> or <c>Invalid value: "x": must be ...</c>.
/// </summary>
public sealed record FieldError(string Reason, string Field, string Message)
{
    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError Invalid(string field, object? value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {Quote(value)}: {detail}");

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public static FieldError Duplicate(string field, object? value) =>
        new("FieldValueDuplicate", field, $"Duplicate value: {Quote(value)}");

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, $"Forbidden: {detail}");

    public static FieldError TooLong(string field, int max) =>
        new("FieldValueTooLong", field, $"Too long: must have at most {max} bytes");

    private static string Quote(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
