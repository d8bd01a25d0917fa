using System.Net;
using KubeWeb.Web.Api;
using KubeWeb.Web.Yaml;

namespace KubeWeb.Web.Tests.Yaml;

public sealed class YamlErrorMappingTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: -1
          template:
            spec:
              containers:
              - name: web
                image: ""
              - name: sidecar
                image: busybox
        """;

    private const string InvalidStatus = """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,
         "message":"Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.containers[0].image: Required value]",
         "details":{"name":"web","group":"apps","kind":"Deployment","causes":[
           {"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"},
           {"reason":"FieldValueRequired","message":"Required value","field":"spec.template.spec.containers[0].image"}]}}
        """;

    [Fact]
    public void InvalidStatus_BecomesFieldProblems_WithAnActionableTitle()
    {
        var problem = ApiErrors.Describe(ApiErrors.ParseStatus(InvalidStatus, HttpStatusCode.UnprocessableEntity));

        Assert.Equal("Invalid", problem.Title);
        Assert.Contains("Fix the fields", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(["spec.replicas", "spec.template.spec.containers[0].image"], problem.Fields.Select(f => f.Field));
        Assert.Equal(422, problem.Code);
    }

    [Fact]
    public void FieldErrors_PointAtTheLinesTheUserWrote()
    {
        var doc = YamlDocuments.Parse(Deployment).Single();
        var problem = ApiErrors.Describe(ApiErrors.ParseStatus(InvalidStatus, HttpStatusCode.UnprocessableEntity));

        var lines = YamlApplier.ErrorLines(doc, problem);

        Assert.Equal([6, 11], lines.Keys.Order());
        Assert.Contains("spec.replicas", lines[6], StringComparison.Ordinal);
        Assert.Contains("Required value", lines[11], StringComparison.Ordinal);
    }

    [Fact]
    public void AFieldMissingFromTheYaml_PointsAtItsDeepestPresentParent()
    {
        var doc = YamlDocuments.Parse(Deployment).Single();
        Assert.Equal(10, YamlFieldLocator.Find(doc.Root, "spec.template.spec.containers[0].resources.limits"));
        Assert.Equal(12, YamlFieldLocator.Find(doc.Root, "spec.template.spec.containers[1]"));
        Assert.Null(YamlFieldLocator.Find(doc.Root, "status.replicas"));
    }

    [Fact]
    public void FieldPaths_SplitIndexesAndDottedKeys()
    {
        Assert.Equal(["metadata", "annotations", "example.com/x"], YamlFieldLocator.Segments("metadata.annotations[example.com/x]"));
        Assert.Equal(["spec", "containers", "0", "image"], YamlFieldLocator.Segments("spec.containers[0].image"));
    }

    [Fact]
    public void SyntaxErrors_CarryTheirLine()
    {
        var e = Assert.Throws<YamlSyntaxException>(() => YamlDocuments.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n"));
        Assert.True(e.Line >= 4, $"line {e.Line}");
        Assert.Contains("line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scalars_KeepTheirYamlTypes_AndSeveralDocumentsAreRead()
    {
        var docs = YamlDocuments.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  n: \"1\"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\nspec:\n  replicas: 2\n  paused: false\n");

        Assert.Equal(2, docs.Count);
        Assert.Equal("1", (string?)docs[0].Json["data"]!["n"]);
        Assert.Equal(2, (long)docs[1].Json["spec"]!["replicas"]!);
        Assert.False((bool)docs[1].Json["spec"]!["paused"]!);
        Assert.Equal(8, docs[1].StartLine);
    }

    [Fact]
    public void Unreachable_IsReportedAsSuch()
    {
        var problem = ApiErrors.Describe(new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111)));
        Assert.True(problem.Unreachable);
    }
}
