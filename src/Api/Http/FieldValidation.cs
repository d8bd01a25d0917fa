using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Http;

public enum FieldValidationMode
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>
/// Finds fields in a request body that the kind's schema does not declare, and duplicate fields,
/// the way kube-apiserver's strict decoder reports them (<c>unknown field "spec.foo"</c>).
/// </summary>
public static class FieldValidation
{
    public static FieldValidationMode ParseMode(string? value) => value switch
    {
        null or "" or "Warn" => FieldValidationMode.Warn,
        "Strict" => FieldValidationMode.Strict,
        "Ignore" => FieldValidationMode.Ignore,
        _ => throw ApiError.BadRequest($"fieldValidation must be one of Ignore, Warn or Strict, got \"{value}\""),
    };

    /// <summary>Unknown-field messages for <paramref name="node"/> decoded as <paramref name="type"/>.</summary>
    public static List<string> UnknownFields(JsonNode node, Type type)
    {
        var problems = new List<string>();
        Walk(node, KubeJson.Options.GetTypeInfo(type), "", problems, 0);
        return problems;
    }

    /// <summary>Duplicate-field messages found by scanning the raw JSON (JsonNode would keep only one).</summary>
    public static List<string> DuplicateFields(ReadOnlySpan<byte> json)
    {
        var problems = new List<string>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var stack = new Stack<(HashSet<string>? Keys, string Path)>();
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        stack.Push((new HashSet<string>(StringComparer.Ordinal), Child(stack, pending)));
                        pending = null;
                        break;
                    case JsonTokenType.StartArray:
                        stack.Push((null, Child(stack, pending)));
                        pending = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        pending = reader.GetString()!;
                        var (keys, path) = stack.Peek();
                        if (!keys!.Add(pending))
                        {
                            problems.Add($"duplicate field \"{(path.Length == 0 ? pending : path + "." + pending)}\"");
                        }

                        break;
                    default:
                        pending = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is reported by the parser, not here.
        }

        return problems;
    }

    private static string Child(Stack<(HashSet<string>? Keys, string Path)> stack, string? name)
    {
        if (stack.Count == 0)
        {
            return "";
        }

        var parent = stack.Peek().Path;
        if (name is null)
        {
            return parent + "[]";
        }

        return parent.Length == 0 ? name : parent + "." + name;
    }

    private static void Walk(JsonNode? node, JsonTypeInfo info, string path, List<string> problems, int depth)
    {
        if (node is null || depth > 64)
        {
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when node is JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var prop = info.Properties.FirstOrDefault(p => p.Name == name);
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (prop is null)
                    {
                        if (depth == 0 && name is "kind" or "apiVersion")
                        {
                            continue;
                        }

                        problems.Add($"unknown field \"{childPath}\"");
                        continue;
                    }

                    Walk(value, KubeJson.Options.GetTypeInfo(prop.PropertyType), childPath, problems, depth + 1);
                }

                break;
            case JsonTypeInfoKind.Enumerable when node is JsonArray arr && info.ElementType is { } element:
                var elementInfo = KubeJson.Options.GetTypeInfo(element);
                for (var i = 0; i < arr.Count; i++)
                {
                    Walk(arr[i], elementInfo, $"{path}[{i}]", problems, depth + 1);
                }

                break;
            case JsonTypeInfoKind.Dictionary when node is JsonObject map && info.ElementType is { } valueType:
                var valueInfo = KubeJson.Options.GetTypeInfo(valueType);
                foreach (var (key, value) in map)
                {
                    Walk(value, valueInfo, $"{path}.{key}", problems, depth + 1);
                }

                break;
        }
    }
}
