using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Core.Tests.Serialization;

public sealed class ManagedFieldsSpanTests
{
    private const string Entries = """[{"manager":"kubectl","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:data":{"f:a":{}}}}]""";

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","managedFields":MF,"uid":"u"},"data":{"a":"1"}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"managedFields":MF,"name":"a","uid":"u"},"data":{"a":"1"}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","uid":"u","managedFields":MF},"data":{"a":"1"}}""")]
    [InlineData("""{ "apiVersion" : "v1", "kind":"ConfigMap", "metadata" : { "managedFields" : MF , "name" : "a", "uid":"u" }, "data":{"a":"1"} }""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a" , "uid":"u" ,"managedFields" : MF },"data":{"a":"1"}}""")]
    public void Leaves_out_exactly_the_managed_fields_member(string template)
    {
        var json = template.Replace("MF", Entries, StringComparison.Ordinal);
        var text = ManagedFieldsSpan.TextWithout(Encoding.UTF8.GetBytes(json));
        var expected = JsonNode.Parse(json)!.AsObject();
        expected["metadata"]!.AsObject().Remove("managedFields");

        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(text)), text);
        Assert.DoesNotContain("managedFields", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_only_member_leaves_an_empty_metadata()
    {
        var json = "{\"metadata\":{\"managedFields\":" + Entries + "},\"x\":1}";
        Assert.Equal("""{"metadata":{},"x":1}""", ManagedFieldsSpan.TextWithout(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","metadata":{"name":"a"}}""")]
    [InlineData("""{"apiVersion":"v1","spec":{"managedFields":[1]},"metadata":{"name":"a","labels":{"managedFields":"x"}}}""")]
    [InlineData("""{"metadata":null}""")]
    [InlineData("""[1,2]""")]
    public void Anything_else_is_left_as_it_is(string json)
    {
        Assert.Equal((0, 0), ManagedFieldsSpan.Find(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(json, ManagedFieldsSpan.TextWithout(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Reading_without_managed_fields_skips_them_and_keeps_the_rest()
    {
        var json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"managedFields\":" + Entries +
            ",\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]}}";
        var full = KubeJson.Deserialize<V1Pod>(Encoding.UTF8.GetBytes(json))!;
        var lean = System.Text.Json.JsonSerializer.Deserialize<V1Pod>(json, KubeJson.WithoutManagedFields)!;

        Assert.Single(full.Metadata.ManagedFields);
        Assert.Null(lean.Metadata.ManagedFields);
        full.Metadata.ManagedFields = null;
        Assert.Equal(Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(full)), Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(lean)));
    }
}
