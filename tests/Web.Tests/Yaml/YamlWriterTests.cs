using System.Text.Json.Nodes;
using KubeWeb.Web.Yaml;

namespace KubeWeb.Web.Tests.Yaml;

public sealed class YamlWriterTests
{
    [Fact]
    public void Write_RoundTripsThroughTheParser()
    {
        var json = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"a":"true","b":"01"},"resourceVersion":"12"},
             "data":{"script":"echo hi\necho there\n","empty":"","colon":"a: b"},"list":[{"name":"n","ports":[80,443]},"plain",null,[]],
             "obj":{}}
            """)!;

        var yaml = YamlWriter.Write(json);
        var back = YamlDocuments.Parse("apiVersion: v1\nkind: X\n" + string.Join('\n', yaml.Split('\n').Skip(2)));

        Assert.True(JsonNode.DeepEquals(json, back.Single().Json.DeepClone().AsObject().Also(o => o["kind"] = "ConfigMap")), yaml);
        Assert.Contains("resourceVersion: \"12\"", yaml, StringComparison.Ordinal);
        Assert.Contains("script: |\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Highlighter_ClassifiesKeysStringsNumbersAndComments()
    {
        var tokens = YamlHighlighter.Line("  replicas: 3 # three");
        Assert.Contains(tokens, t => t is { Text: "replicas", Class: "key" });
        Assert.Contains(tokens, t => t.Class == "number" && t.Text.Trim() == "3");
        Assert.Contains(tokens, t => t.Class == "comment");
        Assert.Contains(YamlHighlighter.Line("- name: web"), t => t is { Text: "name", Class: "key" });
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
