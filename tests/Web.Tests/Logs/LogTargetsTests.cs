using System.Text.Json.Nodes;
using KubeWeb.Web.Logs;

namespace KubeWeb.Web.Tests.Logs;

public sealed class LogTargetsTests
{
    [Fact]
    public void Selector_JoinsMatchLabelsAndMatchExpressions()
    {
        var deployment = JsonNode.Parse("""
            {"kind":"Deployment","spec":{"selector":{
              "matchLabels":{"tier":"web","app":"shop"},
              "matchExpressions":[{"key":"env","operator":"In","values":["prod","stage"]},{"key":"canary","operator":"DoesNotExist"}]}}}
            """)!.AsObject();

        Assert.Equal("app=shop,tier=web,env in (prod,stage),!canary", LogTargets.Selector(deployment));
    }

    [Fact]
    public void Selector_IsNullWhenTheWorkloadSelectsNothing()
    {
        Assert.Null(LogTargets.Selector(JsonNode.Parse("""{"spec":{"selector":{}}}""")!.AsObject()));
        Assert.Null(LogTargets.Selector(JsonNode.Parse("""{"spec":{}}""")!.AsObject()));
    }

    [Fact]
    public void Containers_ComeFromThePodOrTheTemplate_InitFirst()
    {
        var pod = JsonNode.Parse("""{"kind":"Pod","spec":{"initContainers":[{"name":"setup"}],"containers":[{"name":"app"},{"name":"sidecar"}]}}""")!.AsObject();
        var job = JsonNode.Parse("""{"kind":"Job","spec":{"template":{"spec":{"containers":[{"name":"work"}]}}}}""")!.AsObject();

        Assert.Equal(["setup", "app", "sidecar"], LogTargets.Containers(pod));
        Assert.Equal(["work"], LogTargets.Containers(job));
    }

    [Theory]
    [InlineData("pods", true)]
    [InlineData("deployments", true)]
    [InlineData("jobs", true)]
    [InlineData("services", false)]
    [InlineData("cronjobs", false)]
    public void HasLogs_ForPodsAndWorkloads(string plural, bool expected) => Assert.Equal(expected, LogTargets.HasLogs(plural));
}
