using KubeWeb.Agent.Pods;
using KubeWeb.Agent.StaticPods;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Tests.StaticPods;

public sealed class StaticPodManifestTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: etcd
          labels: {tier: control-plane}
        spec:
          containers:
          - name: etcd
            image: localhost/etcd:3.5
        """;

    [Fact]
    public void Parse_NamesThePodAfterTheNode_BindsIt_AndHashesTheManifestIntoTheUid()
    {
        var pod = StaticPodManifest.Parse(Yaml, "node-1");

        Assert.Equal(("etcd-node-1", "default", "node-1"), (pod.Metadata.Name, pod.Metadata.NamespaceProperty, pod.Spec.NodeName));
        Assert.Matches("^[0-9a-f]{32}$", pod.Metadata.Uid);
        Assert.Equal(pod.Metadata.Uid, pod.Metadata.Annotations[StaticPodAnnotations.Hash]);
        Assert.Equal("file", pod.Metadata.Annotations[StaticPodAnnotations.Source]);
        Assert.Equal("control-plane", pod.Metadata.Labels["tier"]);

        // Same manifest, same uid (adopted after an agent restart); an edit or another node, another uid.
        Assert.Equal(pod.Metadata.Uid, StaticPodManifest.Parse(Yaml + "\n", "node-1").Metadata.Uid);
        Assert.NotEqual(pod.Metadata.Uid, StaticPodManifest.Parse(Yaml.Replace("3.5", "3.6", StringComparison.Ordinal), "node-1").Metadata.Uid);
        Assert.NotEqual(pod.Metadata.Uid, StaticPodManifest.Parse(Yaml, "node-2").Metadata.Uid);
    }

    [Fact]
    public void Mirror_CarriesTheHash_AndNoUid()
    {
        var pod = StaticPodManifest.Parse(Yaml, "node-1");
        var mirror = StaticPodManifest.Mirror(pod, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Null(mirror.Metadata.Uid);
        Assert.Equal(pod.Metadata.Uid, mirror.Metadata.Annotations[StaticPodAnnotations.Mirror]);
        Assert.True(StaticPodAnnotations.IsMirror(mirror.Metadata.Annotations));
        Assert.False(StaticPodAnnotations.IsMirror(pod.Metadata.Annotations));
    }

    [Theory]
    [InlineData("kind: Deployment\napiVersion: apps/v1\nmetadata: {name: x}\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: a, image: b}]}\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {}\n")]
    [InlineData("{not yaml")]
    public void Parse_RejectsWhatIsNotARunnablePod(string text) =>
        Assert.Throws<FormatException>(() => StaticPodManifest.Parse(text, "node-1"));

    [Theory]
    [InlineData("/m/web.yaml", true)]
    [InlineData("/m/web.yml", true)]
    [InlineData("/m/web.json", true)]
    [InlineData("/m/.web.yaml.swp", false)]
    [InlineData("/m/.web.yaml", false)]
    [InlineData("/m/README", false)]
    public void OnlyYamlAndJsonFiles_AreManifests(string path, bool expected) => Assert.Equal(expected, StaticPodManifest.IsManifest(path));

    [Fact]
    public void MirrorStatusSink_ReportsUnderTheMirrorUid_AndResendsTheLatestToANewMirror()
    {
        var inner = new RecordingSink();
        var sink = new MirrorStatusSink(inner);
        sink.Report(new PodStatusReport("default", "etcd-node-1", "static-uid", "{\"phase\":\"Pending\"}", false));
        Assert.Empty(inner.Reports);

        sink.SetMirror("static-uid", "mirror-1");
        Assert.Equal("mirror-1", Assert.Single(inner.Reports).Uid);
        sink.Report(new PodStatusReport("default", "etcd-node-1", "static-uid", "{\"phase\":\"Running\"}", false));
        Assert.Equal(("mirror-1", "{\"phase\":\"Running\"}"), (inner.Reports[^1].Uid, inner.Reports[^1].Status));
        Assert.Equal("static-uid", sink.StaticUidFor("mirror-1"));

        // The mirror was deleted and recreated: the new one gets the current status at once.
        sink.SetMirror("static-uid", "mirror-2");
        Assert.Equal(("mirror-2", "{\"phase\":\"Running\"}"), (inner.Reports[^1].Uid, inner.Reports[^1].Status));
        Assert.Contains("mirror-1", inner.Forgotten);
        Assert.Null(sink.StaticUidFor("mirror-1"));
    }

    private sealed class RecordingSink : IPodStatusSink
    {
        public List<PodStatusReport> Reports { get; } = [];

        public List<string> Forgotten { get; } = [];

        public void Report(PodStatusReport report) => Reports.Add(report);

        public void Forget(string podUid) => Forgotten.Add(podUid);
    }
}
