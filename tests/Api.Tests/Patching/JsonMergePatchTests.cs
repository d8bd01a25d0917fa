using System.Text.Json.Nodes;
using KubeWeb.Api.Patching;

namespace KubeWeb.Api.Tests.Patching;

public sealed class JsonMergePatchTests
{
    [Fact]
    public void MergePatch_Null_DeletesKey()
    {
        var target = JsonNode.Parse("""{"metadata":{"labels":{"app":"a","tier":"web"}}}""");

        var result = JsonMergePatch.Apply(target, JsonNode.Parse("""{"metadata":{"labels":{"tier":null}}}""")!);

        Assert.Equal("""{"metadata":{"labels":{"app":"a"}}}""", result!.ToJsonString());
    }

    [Fact]
    public void MergePatch_ScaleBody_SetsReplicasAndKeepsSiblings()
    {
        var target = JsonNode.Parse("""{"spec":{"replicas":1,"paused":false}}""");

        var result = JsonMergePatch.Apply(target, JsonNode.Parse("""{"spec":{"replicas":3}}""")!);

        Assert.Equal("""{"spec":{"replicas":3,"paused":false}}""", result!.ToJsonString());
    }

    [Fact]
    public void MergePatch_Arrays_AreReplacedWhole()
    {
        var target = JsonNode.Parse("""{"a":[1,2,3]}""");

        var result = JsonMergePatch.Apply(target, JsonNode.Parse("""{"a":[4]}""")!);

        Assert.Equal("""{"a":[4]}""", result!.ToJsonString());
    }

    [Fact]
    public void MergePatch_NewNestedObject_DropsNullsInside()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse("{}"), JsonNode.Parse("""{"a":{"b":null,"c":1}}""")!);

        Assert.Equal("""{"a":{"c":1}}""", result!.ToJsonString());
    }

    [Fact]
    public void MergePatch_NonObjectPatch_ReplacesTarget()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("[1]")!);

        Assert.Equal("[1]", result!.ToJsonString());
    }

    [Fact]
    public void MergePatch_DoesNotModifyInputs()
    {
        var target = JsonNode.Parse("""{"a":{"b":1}}""")!;
        var patch = JsonNode.Parse("""{"a":{"b":2}}""")!;

        JsonMergePatch.Apply(target, patch);

        Assert.Equal("""{"a":{"b":1}}""", target.ToJsonString());
        Assert.Equal("""{"a":{"b":2}}""", patch.ToJsonString());
    }
}
