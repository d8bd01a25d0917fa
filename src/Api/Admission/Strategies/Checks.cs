using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Core.Serialization;
using KubeWeb.Core.Validation;

namespace KubeWeb.Api.Admission.Strategies;

/// <summary>Small validation building blocks with the messages apimachinery uses.</summary>
internal static class Checks
{
    public const string Immutable = "field is immutable";
    public const string NonNegative = "must be greater than or equal to 0";

    public static string Key(string path, string key) => $"{path}[{key}]";

    public static string Index(string path, int i) => $"{path}[{i}]";

    public static string RangeError(long lo, long hi) => $"must be between {lo} and {hi}, inclusive";

    public static FieldError NotFound(string path, object? value) =>
        new("FieldValueNotFound", path, $"Not found: \"{value}\"");

    public static IEnumerable<FieldError> NotNegative(long? value, string path)
    {
        if (value < 0)
        {
            yield return FieldError.Invalid(path, value, NonNegative);
        }
    }

    public static IEnumerable<FieldError> ImmutableField(object? value, object? old, string path, object? shown = null)
    {
        if (!Same(value, old))
        {
            yield return FieldError.Invalid(path, shown ?? Show(value), Immutable);
        }
    }

    public static IEnumerable<FieldError> PortNumber(int? port, string path)
    {
        if (port is not { } p || p < 1 || p > 65535)
        {
            yield return FieldError.Invalid(path, port ?? 0, RangeError(1, 65535));
        }
    }

    public static IEnumerable<FieldError> Protocol(string? protocol, string path)
    {
        if (string.IsNullOrEmpty(protocol))
        {
            yield return FieldError.Required(path);
        }
        else if (protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            yield return FieldError.NotSupported(path, protocol, ["SCTP", "TCP", "UDP"]);
        }
    }

    /// <summary>IANA service names as Kubernetes allows them for port names (IsValidPortName).</summary>
    public static string? PortNameError(string name)
    {
        if (name.Length > 15)
        {
            return "must be no more than 15 characters";
        }

        if (name.Any(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')))
        {
            return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        }

        if (name.Contains("--", StringComparison.Ordinal))
        {
            return "must not contain consecutive hyphens";
        }

        if (!name.Any(c => c is >= 'a' and <= 'z'))
        {
            return "must contain at least one letter (a-z)";
        }

        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            return "must not begin or end with a hyphen";
        }

        return null;
    }

    public static IEnumerable<FieldError> OneOf(string? value, string path, params string[] allowed)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield return FieldError.Required(path);
        }
        else if (!allowed.Contains(value))
        {
            yield return FieldError.NotSupported(path, value, allowed);
        }
    }

    public static IEnumerable<FieldError> Name(string? name, string path, Func<string, string?> rule)
    {
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required(path);
        }
        else if (rule(name) is { } error)
        {
            yield return FieldError.Invalid(path, name, error);
        }
    }

    public static string? IpError(string? ip, System.Net.Sockets.AddressFamily? family = null)
    {
        if (string.IsNullOrEmpty(ip) || !IPAddress.TryParse(ip, out var parsed) || ip.Contains('%'))
        {
            return family switch
            {
                System.Net.Sockets.AddressFamily.InterNetwork => "must be a valid IPv4 address",
                System.Net.Sockets.AddressFamily.InterNetworkV6 => "must be a valid IPv6 address",
                _ => "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            };
        }

        if (family is { } f && parsed.AddressFamily != f)
        {
            return f == System.Net.Sockets.AddressFamily.InterNetwork ? "must be a valid IPv4 address" : "must be a valid IPv6 address";
        }

        return null;
    }

    /// <summary>A label selector's own syntax (keys, values, operators).</summary>
    public static IEnumerable<FieldError> LabelSelector(V1LabelSelector selector, string path)
    {
        foreach (var e in ObjectMetaValidator.ValidateLabels(selector.MatchLabels, path + ".matchLabels"))
        {
            yield return e;
        }

        var i = 0;
        foreach (var expr in selector.MatchExpressions ?? [])
        {
            var at = Index(path + ".matchExpressions", i++);
            if (!NameValidation.IsQualifiedName(expr.Key ?? "", out var keyError))
            {
                yield return FieldError.Invalid(at + ".key", expr.Key ?? "", keyError!);
            }

            var count = expr.Values?.Count ?? 0;
            switch (expr.OperatorProperty)
            {
                case "In" or "NotIn" when count == 0:
                    yield return FieldError.Required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                    break;
                case "Exists" or "DoesNotExist" when count > 0:
                    yield return FieldError.Forbidden(at + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    yield return FieldError.Invalid(at + ".operator", expr.OperatorProperty, "not a valid selector operator");
                    break;
            }
        }
    }

    /// <summary>Semantic equality as apimachinery's: compare the wire form, nil and empty lists alike.</summary>
    public static bool Same(object? a, object? b) => JsonNode.DeepEquals(Normalize(a), Normalize(b));

    public static JsonNode? Normalize(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var node = KubeJson.ToNode(value, value.GetType());
        DropEmptyLists(node);
        return node;
    }

    /// <summary>How Go's %v-style quoting would show a composite value in a message.</summary>
    public static object? Show(object? value) => value switch
    {
        null or string or bool or int or long => value,
        _ => new Raw(Normalize(value)?.ToJsonString() ?? "null"),
    };

    private static void DropEmptyLists(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is JsonArray { Count: 0 } or null).Select(p => p.Key).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, child) in o)
                {
                    DropEmptyLists(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    DropEmptyLists(child);
                }

                break;
        }
    }

    /// <summary>A pre-rendered value: <see cref="FieldError.Invalid"/> prints it unquoted.</summary>
    private sealed record Raw(string Text)
    {
        public override string ToString() => Text;
    }
}
