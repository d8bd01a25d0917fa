using System.Text.Json.Nodes;
using KubeWeb.Api.Patching;

namespace KubeWeb.Api.Tests.Patching;

public sealed class JsonPatchTests
{
    private static string Apply(string document, string patch) =>
        JsonPatch.Apply(JsonNode.Parse(document)!, JsonNode.Parse(patch)!).ToJsonString();

    [Fact]
    public void Add_ObjectMember_AndAppendWithDash()
    {
        var result = Apply("""{"a":{"list":[1,2]}}""",
            """[{"op":"add","path":"/a/b","value":"x"},{"op":"add","path":"/a/list/-","value":3},{"op":"add","path":"/a/list/0","value":0}]""");

        Assert.Equal("""{"a":{"list":[0,1,2,3],"b":"x"}}""", result);
    }

    [Fact]
    public void Remove_ArrayElementAndMember()
    {
        var result = Apply("""{"a":[1,2,3],"b":1}""", """[{"op":"remove","path":"/a/1"},{"op":"remove","path":"/b"}]""");

        Assert.Equal("""{"a":[1,3]}""", result);
    }

    [Fact]
    public void Replace_ExistingKey_SetsValue()
    {
        var result = Apply("""{"spec":{"replicas":1}}""", """[{"op":"replace","path":"/spec/replicas","value":5}]""");

        Assert.Equal("""{"spec":{"replicas":5}}""", result);
    }

    [Fact]
    public void Replace_MissingKey_FailsLikeKubernetes()
    {
        var error = Assert.Throws<PatchException>(() =>
            Apply("""{"metadata":{"name":"d"}}""", """[{"op":"replace","path":"/metadata/annotations","value":{}}]"""));

        Assert.Equal("replace operation does not apply: doc is missing key: /metadata/annotations: missing value", error.Message);
        Assert.Equal(PatchErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void Move_DetachesSourceAndAddsAtTarget()
    {
        var result = Apply("""{"a":{"x":1},"b":{}}""", """[{"op":"move","from":"/a/x","path":"/b/y"}]""");

        Assert.Equal("""{"a":{},"b":{"y":1}}""", result);
    }

    [Fact]
    public void Copy_LeavesSourceInPlace()
    {
        var result = Apply("""{"a":[{"k":1}]}""", """[{"op":"copy","from":"/a/0","path":"/a/-"}]""");

        Assert.Equal("""{"a":[{"k":1},{"k":1}]}""", result);
    }

    [Fact]
    public void Test_Mismatch_IsConflict()
    {
        var error = Assert.Throws<PatchException>(() => Apply("""{"a":1}""", """[{"op":"test","path":"/a","value":2}]"""));

        Assert.True(error.IsConflict);
        Assert.Equal("testing value /a failed: test failed", error.Message);
    }

    [Fact]
    public void Test_Match_LeavesDocumentUnchanged()
    {
        Assert.Equal("""{"a":{"b":[1]}}""", Apply("""{"a":{"b":[1]}}""", """[{"op":"test","path":"/a","value":{"b":[1]}}]"""));
    }

    [Fact]
    public void Pointer_EscapesTildeAndSlash()
    {
        var result = Apply("""{"metadata":{"annotations":{"a/b":"1","c~d":"2"}}}""",
            """[{"op":"replace","path":"/metadata/annotations/a~1b","value":"x"},{"op":"remove","path":"/metadata/annotations/c~0d"}]""");

        Assert.Equal("""{"metadata":{"annotations":{"a/b":"x"}}}""", result);
    }

    [Fact]
    public void Add_MissingParent_Fails()
    {
        var error = Assert.Throws<PatchException>(() => Apply("{}", """[{"op":"add","path":"/spec/volumes/-","value":{}}]"""));

        Assert.Equal("add operation does not apply: doc is missing path: \"/spec/volumes/-\": missing value", error.Message);
    }

    [Fact]
    public void Remove_MissingKey_Fails()
    {
        var error = Assert.Throws<PatchException>(() => Apply("""{"a":{}}""", """[{"op":"remove","path":"/a/b"}]"""));

        Assert.Equal("error in remove for path: '/a/b': Unable to remove nonexistent key: b: missing value", error.Message);
    }

    [Fact]
    public void UnknownOperation_Fails()
    {
        var error = Assert.Throws<PatchException>(() => Apply("{}", """[{"op":"frobnicate","path":"/a"}]"""));

        Assert.Equal("Unexpected kind: frobnicate", error.Message);
    }

    [Fact]
    public void PatchNotAnArray_IsMalformed()
    {
        var error = Assert.Throws<PatchException>(() => Apply("{}", """{"op":"add"}"""));

        Assert.Equal(PatchErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public void RolloutUndoPatch_ReplacesTemplateAndAnnotations()
    {
        var result = Apply("""{"metadata":{"annotations":{"r":"2"}},"spec":{"template":{"a":1}}}""",
            """[{"op":"replace","path":"/spec/template","value":{"b":2}},{"op":"replace","path":"/metadata/annotations","value":{"r":"1"}}]""");

        Assert.Equal("""{"metadata":{"annotations":{"r":"1"}},"spec":{"template":{"b":2}}}""", result);
    }
}
