using k8s.Models;
using KubeWeb.Web.Map;
using KubeWeb.Web.Tests.Rollouts;

namespace KubeWeb.Web.Tests.Map;

public sealed class MapLayoutTests
{
    private static MapObjects Namespace(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Service>? services = null, IReadOnlyList<V1Ingress>? ingresses = null,
        IReadOnlyList<V1EndpointSlice>? slices = null) =>
        new([Objects.Deployment("nginx:1.28", 2)], [Objects.ReplicaSet("web-bbb", "nginx:1.28", 2, ready: 2), Objects.ReplicaSet("web-aaa", "nginx:1.27", 1)],
            pods, services ?? [], slices ?? [], ingresses ?? []);

    [Fact]
    public void Ownership_ChainsDeploymentToReplicaSetsToPods_InColumns_WithOwnersLevelWithTheirPods()
    {
        var graph = MapLayout.Build(Namespace([Objects.Pod("web-bbb-1", "ReplicaSet", "web-bbb"), Objects.Pod("web-bbb-2", "ReplicaSet", "web-bbb")]));

        Assert.Contains(new MapEdge("Deployment/web", "ReplicaSet/web-bbb", "owns"), graph.Edges);
        Assert.Contains(new MapEdge("ReplicaSet/web-bbb", "Pod/web-bbb-1", "owns"), graph.Edges);
        Assert.Equal(0, graph.Find("Deployment/web")!.Column);
        Assert.Equal(1, graph.Find("ReplicaSet/web-bbb")!.Column);
        Assert.Equal(2, graph.Find("Pod/web-bbb-1")!.Column);
        var pods = new[] { graph.Find("Pod/web-bbb-1")!.Y, graph.Find("Pod/web-bbb-2")!.Y };
        Assert.Equal(pods.Average(), graph.Find("ReplicaSet/web-bbb")!.Y);
        // The old, empty ReplicaSet is still drawn, below and not overlapping.
        Assert.True(graph.Find("ReplicaSet/web-aaa")!.Y >= graph.Find("ReplicaSet/web-bbb")!.Y + MapGraph.RowHeight);
        Assert.Equal(MapHealth.Idle, graph.Find("ReplicaSet/web-aaa")!.Health);
    }

    [Fact]
    public void Services_SelectPodsByLabels_IngressesPointAtServices_AndHealthFollowsStatus()
    {
        var pods = new[]
        {
            Objects.Pod("web-bbb-1", "ReplicaSet", "web-bbb"),
            Objects.Pod("web-bbb-2", "ReplicaSet", "web-bbb", phase: "Pending", ready: false),
            Objects.Pod("db-0", null, null, labels: new() { ["app"] = "db" }, phase: "Failed", ready: false),
        };
        var web = new V1Service { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" } } };
        var db = new V1Service { Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "db" } } };
        var ingress = new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = "front", NamespaceProperty = "default" },
            Spec = new V1IngressSpec { Rules = [new V1IngressRule { Host = "web.example", Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web" } } }] } }] },
        };

        var graph = MapLayout.Build(Namespace(pods, [web, db], [ingress]));

        Assert.Contains(new MapEdge("Service/web", "Pod/web-bbb-1", "selects"), graph.Edges);
        Assert.Contains(new MapEdge("Service/web", "Pod/web-bbb-2", "selects"), graph.Edges);
        Assert.DoesNotContain(graph.Edges, e => e.From == "Service/web" && e.To == "Pod/db-0");
        Assert.Contains(new MapEdge("Ingress/front", "Service/web", "backend"), graph.Edges);
        Assert.Equal(MapHealth.Healthy, graph.Find("Pod/web-bbb-1")!.Health);
        Assert.Equal(MapHealth.Progressing, graph.Find("Pod/web-bbb-2")!.Health);
        Assert.Equal(MapHealth.Failing, graph.Find("Pod/db-0")!.Health);
        Assert.Equal(MapHealth.Healthy, graph.Find("Service/web")!.Health);
        Assert.Equal(MapHealth.Failing, graph.Find("Service/db")!.Health);
        Assert.Equal(MapHealth.Healthy, graph.Find("Ingress/front")!.Health);
        Assert.Equal("web.example", graph.Find("Ingress/front")!.Status);
    }

    [Fact]
    public void EndpointSlices_SitBetweenServicesAndPods()
    {
        var pod = Objects.Pod("web-bbb-1", "ReplicaSet", "web-bbb");
        var web = new V1Service { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" } } };
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "web-x1", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" } },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = ["10.0.0.5"], TargetRef = new V1ObjectReference { Kind = "Pod", Name = "web-bbb-1" }, Conditions = new V1EndpointConditions { Ready = true } }],
        };

        var graph = MapLayout.Build(Namespace([pod], [web], slices: [slice]));

        Assert.Contains(new MapEdge("Service/web", "EndpointSlice/web-x1", "slice"), graph.Edges);
        Assert.Contains(new MapEdge("EndpointSlice/web-x1", "Pod/web-bbb-1", "endpoint"), graph.Edges);
        Assert.DoesNotContain(graph.Edges, e => e is { From: "Service/web", Relation: "selects" });
        Assert.Equal(graph.Find("Pod/web-bbb-1")!.Y, graph.Find("Service/web")!.Y);
    }

    [Fact]
    public void ManyPods_AreCapped_AndTheRestCounted()
    {
        var pods = Enumerable.Range(0, MapLayout.MaxPods + 25).Select(i => Objects.Pod($"web-bbb-{i:000}", "ReplicaSet", "web-bbb")).ToList();
        var graph = MapLayout.Build(Namespace(pods));
        Assert.Equal(25, graph.HiddenPods);
        Assert.Equal(MapLayout.MaxPods, graph.Nodes.Count(n => n.Kind == "Pod"));
    }
}
