using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeWeb.Web.Yaml;

/// <summary>Writes JSON as block-style YAML the way kubectl shows objects (2-space indent, lists not indented under their key).</summary>
public static class YamlWriter
{
    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteValue(sb, node, 0, inline: false);
        return sb.ToString();
    }

    private static void WriteValue(StringBuilder sb, JsonNode? node, int indent, bool inline)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                var first = true;
                foreach (var (key, value) in o)
                {
                    if (!(inline && first))
                    {
                        sb.Append(' ', indent);
                    }

                    first = false;
                    sb.Append(Key(key)).Append(':');
                    WriteChild(sb, value, indent);
                }

                break;
            case JsonArray a when a.Count > 0:
                var firstItem = true;
                foreach (var item in a)
                {
                    if (!(inline && firstItem))
                    {
                        sb.Append(' ', indent);
                    }

                    firstItem = false;
                    sb.Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        WriteValue(sb, item, indent + 2, inline: true);
                    }
                    else
                    {
                        sb.Append(Scalar(item, indent + 2)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(Scalar(node, indent)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                sb.Append('\n');
                WriteValue(sb, value, indent + 2, inline: false);
                break;
            case JsonArray { Count: > 0 }:
                sb.Append('\n');
                WriteValue(sb, value, indent, inline: false);
                break;
            default:
                sb.Append(' ').Append(Scalar(value, indent + 2)).Append('\n');
                break;
        }
    }

    private static string Key(string key) => NeedsQuotes(key) ? Quote(key) : key;

    private static string Scalar(JsonNode? node, int indent)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
        }

        var value = node.AsValue();
        var element = value.GetValue<JsonElement>();
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Number:
                return element.GetRawText();
            case JsonValueKind.String:
                var s = element.GetString() ?? "";
                if (s.Contains('\n') && !s.Contains('\r') && !s.Contains('\t') && s.Trim(' ').Length > 0 && !s.StartsWith(' '))
                {
                    var pad = new string(' ', indent);
                    var chomp = s.EndsWith('\n') ? (s.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : "") : "-";
                    var body = s.EndsWith('\n') ? s[..^1] : s;
                    return "|" + chomp + "\n" + string.Join('\n', body.Split('\n').Select(l => l.Length == 0 ? "" : pad + l));
                }

                return NeedsQuotes(s) ? Quote(s) : s;
            default:
                return element.GetRawText();
        }
    }

    internal static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || s.Trim() != s)
        {
            return true;
        }

        if (s is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off" or "y" or "n" ||
            s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase) ||
            s.Equals("null", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase) ||
            s.Equals("no", StringComparison.OrdinalIgnoreCase) || s.Equals("on", StringComparison.OrdinalIgnoreCase) ||
            s.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(s[0]))
        {
            return true;
        }

        return s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':') ||
            s.Any(c => char.IsControl(c));
    }

    private static string Quote(string s) => JsonSerializer.Serialize(s, QuoteOptions);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
