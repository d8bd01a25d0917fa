using k8s.Models;
using KubeWeb.Controllers.Scheduling.Plugins;
using static KubeWeb.Controllers.Tests.Scheduling.Kit;

namespace KubeWeb.Controllers.Tests.Scheduling.Plugins;

public sealed class InterPodAffinityTests
{
    private readonly InterPodAffinity _plugin = new();

    [Fact]
    public void AntiAffinity_ByHostname_RejectsNodeWithMatchingPod()
    {
        var a = Info(Node("a"), Pod("web-1", labels: new() { ["app"] = "web" }).On("a"));
        var b = Info(Node("b"));
        var snapshot = Snapshot(a, b);
        var pod = WithAntiAffinity(Pod("web-2", labels: new() { ["app"] = "web" }), "kubernetes.io/hostname");
        Assert.Equal(InterPodAffinity.AntiAffinityReason, Filter(_plugin, pod, a, snapshot));
        Assert.Null(Filter(_plugin, pod, b, snapshot));
    }

    [Fact]
    public void AntiAffinity_ByZone_RejectsEveryNodeOfTheZone()
    {
        var a = Info(Node("a", labels: new() { ["topology.kubernetes.io/zone"] = "z1" }), Pod("web-1", labels: new() { ["app"] = "web" }).On("a"));
        var b = Info(Node("b", labels: new() { ["topology.kubernetes.io/zone"] = "z1" }));
        var c = Info(Node("c", labels: new() { ["topology.kubernetes.io/zone"] = "z2" }));
        var snapshot = Snapshot(a, b, c);
        var pod = WithAntiAffinity(Pod("web-2", labels: new() { ["app"] = "web" }), "topology.kubernetes.io/zone");
        Assert.NotNull(Filter(_plugin, pod, b, snapshot));
        Assert.Null(Filter(_plugin, pod, c, snapshot));
    }

    [Fact]
    public void ExistingPodsAntiAffinity_RejectsIncomingPodItSelects()
    {
        var guard = WithAntiAffinity(Pod("guard", labels: new() { ["role"] = "guard" }), "kubernetes.io/hostname", new() { ["app"] = "web" });
        var a = Info(Node("a"), guard.On("a"));
        var b = Info(Node("b"));
        var snapshot = Snapshot(a, b);
        var web = Pod("web", labels: new() { ["app"] = "web" });
        Assert.Equal(InterPodAffinity.ExistingAntiAffinityReason, Filter(_plugin, web, a, snapshot));
        Assert.Null(Filter(_plugin, web, b, snapshot));
        Assert.Null(Filter(_plugin, Pod("other", labels: new() { ["app"] = "db" }), a, snapshot));
    }

    [Fact]
    public void Affinity_RequiresAMatchingPodInTheTopology()
    {
        var a = Info(Node("a", labels: new() { ["zone"] = "z1" }), Pod("db", labels: new() { ["app"] = "db" }).On("a"));
        var b = Info(Node("b", labels: new() { ["zone"] = "z1" }));
        var c = Info(Node("c", labels: new() { ["zone"] = "z2" }));
        var d = Info(Node("d"));
        var snapshot = Snapshot(a, b, c, d);
        var pod = WithAffinity(Pod("web", labels: new() { ["app"] = "web" }), "zone", new() { ["app"] = "db" });
        Assert.Null(Filter(_plugin, pod, b, snapshot));
        Assert.Equal(InterPodAffinity.AffinityReason, Filter(_plugin, pod, c, snapshot));
        Assert.Equal(InterPodAffinity.AffinityReason, Filter(_plugin, pod, d, snapshot));
    }

    [Fact]
    public void Affinity_ToItself_LetsTheFirstPodOfAGroupIn()
    {
        var a = Info(Node("a", labels: new() { ["zone"] = "z1" }));
        var pod = WithAffinity(Pod("web-1", labels: new() { ["app"] = "web" }), "zone", new() { ["app"] = "web" });
        Assert.Null(Filter(_plugin, pod, a, Snapshot(a)));
    }

    [Fact]
    public void Terms_OnlySelectPodsOfTheirNamespaces()
    {
        var a = Info(Node("a"), Pod("web-1", ns: "other", labels: new() { ["app"] = "web" }).On("a"));
        var pod = WithAntiAffinity(Pod("web-2", labels: new() { ["app"] = "web" }), "kubernetes.io/hostname");
        Assert.Null(Filter(_plugin, pod, a, Snapshot(a)));

        pod.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].NamespaceSelector = new V1LabelSelector();
        Assert.NotNull(Filter(_plugin, pod, a, Snapshot(a)));
    }

    internal static V1Pod WithAntiAffinity(V1Pod pod, string topologyKey, Dictionary<string, string>? selects = null)
    {
        pod.Spec.Affinity ??= new V1Affinity();
        pod.Spec.Affinity.PodAntiAffinity = new V1PodAntiAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution =
            [
                new V1PodAffinityTerm { TopologyKey = topologyKey, LabelSelector = new V1LabelSelector { MatchLabels = selects ?? pod.Metadata.Labels } },
            ],
        };
        return pod;
    }

    private static V1Pod WithAffinity(V1Pod pod, string topologyKey, Dictionary<string, string> selects)
    {
        pod.Spec.Affinity ??= new V1Affinity();
        pod.Spec.Affinity.PodAffinity = new V1PodAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution =
            [
                new V1PodAffinityTerm { TopologyKey = topologyKey, LabelSelector = new V1LabelSelector { MatchLabels = selects } },
            ],
        };
        return pod;
    }
}
