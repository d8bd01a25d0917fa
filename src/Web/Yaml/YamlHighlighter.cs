using System.Text.RegularExpressions;

namespace KubeWeb.Web.Yaml;

/// <summary>A piece of a highlighted YAML line: its text and its token class (key, string, number, literal, comment, punct, or plain).</summary>
public readonly record struct YamlToken(string Text, string Class);

/// <summary>An offline, line-based YAML highlighter: enough for the block style kubectl and the console write.</summary>
public static partial class YamlHighlighter
{
    public static IReadOnlyList<IReadOnlyList<YamlToken>> Highlight(string yaml) =>
        [.. yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(Line)];

    public static IReadOnlyList<YamlToken> Line(string line)
    {
        var tokens = new List<YamlToken>();
        var m = LinePattern().Match(line);
        if (!m.Success)
        {
            tokens.Add(new YamlToken(line, "plain"));
            return tokens;
        }

        Add(tokens, m.Groups["indent"].Value, "plain");
        Add(tokens, m.Groups["dash"].Value, "punct");
        if (m.Groups["key"].Success)
        {
            Add(tokens, m.Groups["key"].Value, "key");
            Add(tokens, ":", "punct");
        }

        var rest = m.Groups["rest"].Value;
        var comment = rest.IndexOf(" #", StringComparison.Ordinal);
        var lead = rest.StartsWith('#') ? 0 : comment;
        var value = lead >= 0 ? rest[..lead] : rest;
        var trimmed = value.Trim();
        var valueClass = trimmed switch
        {
            "" => "plain",
            "true" or "false" or "null" or "~" => "literal",
            _ when trimmed.StartsWith('"') || trimmed.StartsWith('\'') => "string",
            _ when trimmed.StartsWith('|') || trimmed.StartsWith('>') => "punct",
            _ when double.TryParse(trimmed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) => "number",
            _ when m.Groups["key"].Success || m.Groups["dash"].Value.Length > 0 => "string",
            _ => "plain",
        };
        Add(tokens, value, valueClass);
        if (lead >= 0)
        {
            Add(tokens, rest[lead..], "comment");
        }

        return tokens;
    }

    private static void Add(List<YamlToken> tokens, string text, string cls)
    {
        if (text.Length > 0)
        {
            tokens.Add(new YamlToken(text, cls));
        }
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<dash>(?:-\s+)*)(?:(?<key>(?:""[^""]*""|'[^']*'|[^\s#'""][^:#]*?)):(?=\s|$))?(?<rest>.*)$")]
    private static partial Regex LinePattern();
}
