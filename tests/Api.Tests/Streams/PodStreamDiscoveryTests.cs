using System.Text.Json.Nodes;
using KubeWeb.Api.Discovery;
using KubeWeb.Core.Resources;

namespace KubeWeb.Api.Tests.Streams;

public sealed class PodStreamDiscoveryTests
{
    [Theory]
    [InlineData("pods/log", "Pod", "get")]
    [InlineData("pods/exec", "PodExecOptions", "create,get")]
    [InlineData("pods/attach", "PodAttachOptions", "create,get")]
    [InlineData("pods/portforward", "PodPortForwardOptions", "create,get")]
    public void LegacyDiscovery_ListsTheStreamingSubresources(string name, string kind, string verbs)
    {
        var list = new DiscoveryDocuments(ResourceRegistry.Default).ResourceList("", "v1")!;
        var entry = list["resources"]!.AsArray().Single(r => (string?)r!["name"] == name)!;
        Assert.Equal(kind, (string?)entry["kind"]);
        Assert.Equal(verbs, string.Join(',', entry["verbs"]!.AsArray().Select(v => (string?)v)));
    }

    [Fact]
    public void AggregatedDiscovery_ListsThemUnderPods()
    {
        var doc = new DiscoveryDocuments(ResourceRegistry.Default).Aggregated(core: true, "apidiscovery.k8s.io/v2");
        var pods = doc["items"]![0]!["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "pods")!;
        var subs = pods["subresources"]!.AsArray().Select(s => (string?)s!["subresource"]).ToList();
        Assert.Contains("exec", subs);
        Assert.Contains("portforward", subs);
        Assert.Equal("PodExecOptions", (string?)pods["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "exec")!["responseKind"]!["kind"]);
    }
}
