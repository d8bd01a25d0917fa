using System.Text.Json.Nodes;
using k8s.Models;
using KubeWeb.Api.Patching;

namespace KubeWeb.Api.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","annotations":{"a":"1"}},
         "spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[
           {"name":"nginx","image":"nginx:1.25","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80}]},
           {"name":"sidecar","image":"busybox"}]}}}}
        """;

    private static JsonNode Patch(string original, string patch, Type? type = null) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original)!, JsonNode.Parse(patch)!, type ?? typeof(V1Deployment));

    private static JsonArray Containers(JsonNode deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    [Fact]
    public void Smp_SetImage_MergesContainersByName()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:2"}]}}}}
            """);

        var containers = Containers(result);
        Assert.Equal(2, containers.Count);
        Assert.Equal("nginx:1.25", (string?)containers[0]!["image"]);
        Assert.Equal("busybox:2", (string?)containers[1]!["image"]);
        Assert.Equal(2, containers[0]!["env"]!.AsArray().Count);
    }

    [Fact]
    public void Smp_KubectlApplyWithSetElementOrder_UpdatesImageAndKeepsOrder()
    {
        var result = Patch(Deployment, """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
             "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],
               "containers":[{"image":"nginx:1.26","name":"nginx"}]}}}}
            """);

        var containers = Containers(result);
        Assert.Equal(["nginx", "sidecar"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal("nginx:1.26", (string?)containers[0]!["image"]);
        Assert.Equal("{}", (string?)result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);
        Assert.Equal("1", (string?)result["metadata"]!["annotations"]!["a"]);
        Assert.Null(result["spec"]!["template"]!["spec"]!["$setElementOrder/containers"]);
    }

    [Fact]
    public void Smp_SetElementOrder_ReordersAndPlacesNewElement()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"new"},{"name":"nginx"}],
               "containers":[{"name":"new","image":"redis"}]}}}}
            """);

        Assert.Equal(["sidecar", "new", "nginx"], Containers(result).Select(c => (string?)c!["name"]));
    }

    [Fact]
    public void Smp_PatchDeleteDirective_RemovesEnvVar()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"$patch":"delete","name":"A"}]}]}}}}
            """);

        var env = Containers(result)[0]!["env"]!.AsArray();
        Assert.Equal(["B"], env.Select(e => (string?)e!["name"]));
    }

    [Fact]
    public void Smp_Null_DeletesMapKey()
    {
        var result = Patch(Deployment, """{"metadata":{"annotations":{"a":null}},"spec":{"replicas":null}}""");

        Assert.Empty(result["metadata"]!["annotations"]!.AsObject());
        Assert.False(result["spec"]!.AsObject().ContainsKey("replicas"));
    }

    [Fact]
    public void Smp_ListWithoutMergeStrategy_IsReplaced()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"nginx","args":["b"]}],"tolerations":[{"key":"x"}]}}}}
            """);

        Assert.Equal("""["b"]""", Containers(result)[0]!["args"]!.ToJsonString());
        Assert.Equal("""[{"key":"x"}]""", result["spec"]!["template"]!["spec"]!["tolerations"]!.ToJsonString());
    }

    [Fact]
    public void Smp_PortsMergeByContainerPort()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}}}
            """);

        Assert.Equal("""[{"containerPort":80,"name":"http"},{"containerPort":443}]""", Containers(result)[0]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Smp_ReplaceDirectiveInList_ReplacesWholeList()
    {
        var result = Patch(Deployment, """
            {"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x"}]}}}}
            """);

        Assert.Equal("""[{"name":"only","image":"x"}]""", Containers(result).ToJsonString());
    }

    [Fact]
    public void Smp_ReplaceDirectiveInMap_ReplacesMap()
    {
        var result = Patch(Deployment, """{"metadata":{"annotations":{"$patch":"replace","b":"2"}}}""");

        Assert.Equal("""{"b":"2"}""", result["metadata"]!["annotations"]!.ToJsonString());
    }

    [Fact]
    public void Smp_Finalizers_MergeAsSetAndDeleteFromPrimitiveList()
    {
        const string pod = """{"metadata":{"name":"p","finalizers":["a","b"]}}""";

        var merged = Patch(pod, """{"metadata":{"finalizers":["b","c"]}}""", typeof(V1Pod));
        var deleted = Patch(pod, """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""", typeof(V1Pod));

        Assert.Equal("""["a","b","c"]""", merged["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""["b"]""", deleted["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void Smp_RetainKeys_DropsOtherKeysOfVolume()
    {
        const string pod = """{"spec":{"volumes":[{"name":"v","emptyDir":{}}]}}""";

        var result = Patch(pod, """{"spec":{"volumes":[{"name":"v","$retainKeys":["name","hostPath"],"hostPath":{"path":"/x"}}]}}""", typeof(V1Pod));

        Assert.Equal("""[{"name":"v","hostPath":{"path":"/x"}}]""", result["spec"]!["volumes"]!.ToJsonString());
    }

    [Fact]
    public void Smp_Conditions_MergeByType()
    {
        const string pod = """{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Scheduled","status":"True"}]}}""";

        var result = Patch(pod, """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", typeof(V1Pod));

        Assert.Equal("""[{"type":"Ready","status":"True"},{"type":"Scheduled","status":"True"}]""", result["status"]!["conditions"]!.ToJsonString());
    }

    [Fact]
    public void Smp_UnknownFieldType_UsesMergePatchSemantics()
    {
        const string revision = """{"data":{"spec":{"a":[1,2],"b":1}}}""";

        var result = Patch(revision, """{"data":{"spec":{"a":[3],"b":null,"c":2}}}""", typeof(V1ControllerRevision));

        Assert.Equal("""{"data":{"spec":{"a":[3],"c":2}}}""", result.ToJsonString());
    }

    [Fact]
    public void Smp_ElementWithoutMergeKey_IsMalformed()
    {
        var error = Assert.Throws<PatchException>(() => Patch(Deployment, """{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"""));

        Assert.Equal(PatchErrorKind.Malformed, error.Kind);
        Assert.Equal("map: map[image:x] does not contain declared merge key: name", error.Message);
    }

    [Fact]
    public void Smp_UnknownDirective_IsMalformed()
    {
        Assert.Throws<PatchException>(() => Patch(Deployment, """{"metadata":{"$patch":"explode"}}"""));
    }
}
