using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeWeb.Api.OpenApi;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Tests.OpenApi;

public sealed class OpenApiDocumentsTests
{
    private static readonly OpenApiDocuments Documents = new(ResourceRegistry.Default, "v1.32.0");

    private static JsonObject V3(string key) => JsonNode.Parse(Documents.GroupVersion(key)!)!.AsObject();

    private static JsonObject Schema(JsonObject doc, string name) => doc["components"]!["schemas"]![name]!.AsObject();

    [Fact]
    public void Each_kind_has_a_schema_tagged_with_its_group_version_kind()
    {
        foreach (var t in ResourceRegistry.Default.All)
        {
            var doc = V3(t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}");
            var tagged = doc["components"]!["schemas"]!.AsObject()
                .Where(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray gvks
                    && gvks.Any(g => (string)g!["group"]! == t.Group && (string)g["version"]! == t.Version && (string)g["kind"]! == t.Kind))
                .Select(s => s.Key)
                .ToList();
            Assert.True(tagged.Count == 1, $"{t}: {string.Join(", ", tagged)}");
            Assert.NotNull(doc["components"]!["schemas"]![tagged[0]]!["properties"]!["metadata"]);
        }
    }

    [Fact]
    public void Every_reference_resolves_within_its_document()
    {
        foreach (var (group, version) in ResourceRegistry.Default.GroupVersions)
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            var text = System.Text.Encoding.UTF8.GetString(Documents.GroupVersion(key)!);
            var schemas = V3(key)["components"]!["schemas"]!.AsObject();
            foreach (Match m in Regex.Matches(text, "\"\\$ref\":\"#/components/schemas/([^\"]+)\""))
            {
                Assert.True(schemas.ContainsKey(m.Groups[1].Value), $"{key}: {m.Groups[1].Value}");
            }
        }

        var v2 = JsonNode.Parse(Documents.V2)!.AsObject();
        var definitions = v2["definitions"]!.AsObject();
        foreach (Match m in Regex.Matches(System.Text.Encoding.UTF8.GetString(Documents.V2), "\"\\$ref\":\"#/definitions/([^\"]+)\""))
        {
            Assert.True(definitions.ContainsKey(m.Groups[1].Value), m.Groups[1].Value);
        }
    }

    [Fact]
    public void Schemas_carry_upstream_names_types_and_descriptions()
    {
        var core = V3("api/v1");
        var pod = Schema(core, "io.k8s.api.core.v1.Pod");
        Assert.Contains("Pod is a collection of containers", (string)pod["description"]!);
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.PodSpec", (string)pod["properties"]!["spec"]!["allOf"]![0]!["$ref"]!);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", (string)pod["properties"]!["metadata"]!["allOf"]![0]!["$ref"]!);

        var spec = Schema(core, "io.k8s.api.core.v1.PodSpec");
        Assert.Contains("Restart policy for all containers within the pod.", (string)spec["properties"]!["restartPolicy"]!["description"]!);
        Assert.Equal("string", (string)spec["properties"]!["restartPolicy"]!["type"]!);
        Assert.Equal("integer", (string)spec["properties"]!["terminationGracePeriodSeconds"]!["type"]!);
        Assert.Equal("int64", (string)spec["properties"]!["terminationGracePeriodSeconds"]!["format"]!);

        var container = Schema(core, "io.k8s.api.core.v1.Container");
        var limits = container["properties"]!["resources"]!["allOf"]![0]!["$ref"]!;
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.ResourceRequirements", (string)limits!);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity",
            (string)Schema(core, "io.k8s.api.core.v1.ResourceRequirements")["properties"]!["limits"]!["additionalProperties"]!["$ref"]!);

        var apps = V3("apis/apps/v1");
        var template = Schema(apps, "io.k8s.api.apps.v1.DeploymentSpec")["properties"]!["template"]!["allOf"]![0]!["$ref"]!;
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec", (string)template!);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
            (string)Schema(apps, "io.k8s.api.apps.v1.DeploymentSpec")["properties"]!["selector"]!["allOf"]![0]!["$ref"]!);
        Assert.Equal("atomic", (string)Schema(apps, "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")["x-kubernetes-map-type"]!);

        var events = V3("apis/events.k8s.io/v1");
        Assert.True(events["components"]!["schemas"]!.AsObject().ContainsKey("io.k8s.api.events.v1.Event"));
    }

    [Fact]
    public void Patch_metadata_matches_the_struct_tags_kubectl_would_use()
    {
        var core = V3("api/v1");
        var containers = Schema(core, "io.k8s.api.core.v1.PodSpec")["properties"]!["containers"]!;
        Assert.Equal("merge", (string)containers["x-kubernetes-patch-strategy"]!);
        Assert.Equal("name", (string)containers["x-kubernetes-patch-merge-key"]!);
        Assert.Equal("map", (string)containers["x-kubernetes-list-type"]!);

        var volumes = Schema(core, "io.k8s.api.core.v1.PodSpec")["properties"]!["volumes"]!;
        Assert.Equal("merge,retainKeys", (string)volumes["x-kubernetes-patch-strategy"]!);

        var ports = Schema(core, "io.k8s.api.core.v1.Container")["properties"]!["ports"]!;
        Assert.Equal(["containerPort", "protocol"], ports["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string)k!));
        Assert.Equal("containerPort", (string)ports["x-kubernetes-patch-merge-key"]!);

        var finalizers = Schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")["properties"]!["finalizers"]!;
        Assert.Equal("merge", (string)finalizers["x-kubernetes-patch-strategy"]!);
        Assert.Equal("set", (string)finalizers["x-kubernetes-list-type"]!);

        var args = Schema(core, "io.k8s.api.core.v1.Container")["properties"]!["args"]!;
        Assert.Null(args["x-kubernetes-patch-strategy"]);
        Assert.Equal("atomic", (string)args["x-kubernetes-list-type"]!);

        var strategy = Schema(V3("apis/apps/v1"), "io.k8s.api.apps.v1.DeploymentSpec")["properties"]!["strategy"]!;
        Assert.Equal("retainKeys", (string)strategy["x-kubernetes-patch-strategy"]!);
    }

    [Fact]
    public void A_changed_document_gets_a_new_hash_in_the_index()
    {
        var index = JsonNode.Parse(Documents.Index())!["paths"]!.AsObject();
        var url = (string)index["api/v1"]!["serverRelativeURL"]!;
        var hash = url[(url.IndexOf("hash=", StringComparison.Ordinal) + 5)..];
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(Documents.GroupVersion("api/v1")!)), hash);
    }

    [Fact]
    public void Summaries_are_joined_into_paragraphs()
    {
        Assert.Equal("One two three.\n\nFour.", ModelDocs.Normalize("\n   One two\n   three.\n\n   Four.\n  "));
    }
}
