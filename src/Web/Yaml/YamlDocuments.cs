using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeWeb.Web.Yaml;

/// <summary>One YAML document read as JSON, with where each field sits in the text.</summary>
public sealed record YamlDocumentNode(JsonObject Json, YamlMappingNode Root, int StartLine)
{
    public string? ApiVersion => (string?)Json["apiVersion"];

    public string? Kind => (string?)Json["kind"];

    public string? Name => (string?)Json["metadata"]?["name"];

    public string? Namespace => (string?)Json["metadata"]?["namespace"];
}

/// <summary>A YAML syntax error at a line (1-based).</summary>
public sealed class YamlSyntaxException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>Reads multi-document YAML into JSON objects with the YAML 1.2 core schema's scalar types.</summary>
public static class YamlDocuments
{
    public static IReadOnlyList<YamlDocumentNode> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new YamlSyntaxException($"YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {Inner(e).Message}", (int)e.Start.Line, (int)e.Start.Column);
        }

        var result = new List<YamlDocumentNode>();
        foreach (var doc in stream.Documents)
        {
            switch (doc.RootNode)
            {
                case YamlMappingNode map:
                    result.Add(new YamlDocumentNode(ToJson(map)!.AsObject(), map, (int)map.Start.Line));
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break;
                case null:
                    break;
                default:
                    throw new YamlSyntaxException($"Document at line {doc.RootNode.Start.Line} is not an object (a mapping with apiVersion, kind and metadata).",
                        (int)doc.RootNode.Start.Line, (int)doc.RootNode.Start.Column);
            }
        }

        return result;
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(v);
        }

        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (v is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (v.Any(char.IsDigit) && !v.Contains('_') && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && (char.IsDigit(v[0]) || v[0] is '-' or '+' or '.'))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(v);
    }

    private static Exception Inner(Exception e) => e.InnerException is { } i ? Inner(i) : e;
}
