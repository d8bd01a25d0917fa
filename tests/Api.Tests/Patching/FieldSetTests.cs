using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Api.Patching;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Api.Tests.Patching;

public sealed class FieldSetTests
{
    [Fact]
    public void FieldsV1_RoundTripsMembersAndDots()
    {
        const string fields = """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}}}""";

        var set = FieldSet.FromFieldsV1(JsonNode.Parse(fields)!.AsObject());

        Assert.Equal(fields, set.ToFieldsV1().ToJsonString(KubeJson.Options));
        Assert.True(set.Has(["f:metadata", "f:labels"]));
        Assert.False(set.Has(["f:spec"]));
        Assert.Equal(4, set.Members().Count());
    }

    [Fact]
    public void Describe_PrintsPathsAsKubernetes()
    {
        Assert.Equal(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]",
            FieldSet.Describe(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"nginx\"}", "f:ports", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}"]));
        Assert.Equal(".metadata.finalizers[=\"a/b\"]", FieldSet.Describe(["f:metadata", "f:finalizers", "v:\"a/b\""]));
    }

    [Fact]
    public void SetOperations_WorkOnMembers()
    {
        var a = new FieldSet();
        a.Insert(["f:spec", "f:replicas"]);
        a.Insert(["f:spec", "f:paused"]);
        var b = new FieldSet();
        b.Insert(["f:spec", "f:replicas"]);
        var spec = new FieldSet();
        spec.Insert(["f:spec"]);

        Assert.Equal(["f:spec.f:paused"], a.Difference(b).Members().Select(p => string.Join(".", p)));
        Assert.Equal(["f:spec.f:replicas"], a.Intersection(b).Members().Select(p => string.Join(".", p)));
        Assert.True(a.RecursiveDifference(spec).IsEmpty);
    }

    [Fact]
    public void ToSet_OwnsSetValuesAndMapEntries()
    {
        var pod = JsonNode.Parse("""{"metadata":{"finalizers":["x"],"annotations":{"a":"1"}},"spec":{"nodeSelector":{"k":"v"}}}""");

        var set = FieldTracking.ToSet(pod, SchemaSlot.For(typeof(V1Pod)));

        Assert.Equal(
            """{"f:metadata":{"f:annotations":{"f:a":{}},"f:finalizers":{"v:\"x\"":{}}},"f:spec":{"f:nodeSelector":{}}}""",
            set.ToFieldsV1().ToJsonString(KubeJson.Options));
    }

    [Fact]
    public void ApplyMerge_KeepsLiveOnlyListItemsInPlace()
    {
        var live = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}}""");
        var config = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","image":"3"},{"name":"c","image":"4"}]}}""");

        var merged = ApplyMerge.Merge(live, config, SchemaSlot.For(typeof(V1Pod)));

        Assert.Equal("""[{"name":"a","image":"3"},{"name":"b","image":"2"},{"name":"c","image":"4"}]""",
            merged!["spec"]!["containers"]!.ToJsonString());
    }
}
