using k8s.Models;

namespace KubeWeb.Web.Map;

/// <summary>The objects of one namespace the map is drawn from.</summary>
public sealed record MapObjects(
    IReadOnlyList<V1Deployment> Deployments,
    IReadOnlyList<V1ReplicaSet> ReplicaSets,
    IReadOnlyList<V1Pod> Pods,
    IReadOnlyList<V1Service> Services,
    IReadOnlyList<V1EndpointSlice> EndpointSlices,
    IReadOnlyList<V1Ingress> Ingresses);

/// <summary>
/// Lays out Deployment → ReplicaSets → Pods ← EndpointSlices ← Services ← Ingresses in six
/// columns. Pods are ordered by owner so each owner sits level with its pods; every other box sits
/// at the mean height of what it points at, pushed down just enough not to overlap. Pure, so it is
/// tested from objects alone.
/// </summary>
public static class MapLayout
{
    public const int MaxPods = 150;
    private const int DeploymentCol = 0, ReplicaSetCol = 1, PodCol = 2, SliceCol = 3, ServiceCol = 4, IngressCol = 5;

    public static MapGraph Build(MapObjects o)
    {
        var nodes = new Dictionary<string, MapNode>();
        var edges = new List<MapEdge>();
        var rsByDeployment = o.ReplicaSets.GroupBy(rs => ControllerUid(rs.Metadata) ?? "").ToDictionary(g => g.Key, g => g.ToList());
        var podsByOwner = o.Pods.GroupBy(p => ControllerUid(p.Metadata) ?? "").ToDictionary(g => g.Key, g => g.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList());

        // Pod order: by deployment, then replica set (newest revision first), then the rest.
        var orderedSets = o.Deployments.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal)
            .SelectMany(d => rsByDeployment.GetValueOrDefault(d.Metadata.Uid ?? "") ?? [])
            .Concat(o.ReplicaSets.Where(rs => !o.Deployments.Any(d => d.Metadata.Uid == ControllerUid(rs.Metadata))).OrderBy(rs => rs.Metadata.Name, StringComparer.Ordinal))
            .ToList();
        var orderedPods = orderedSets.SelectMany(rs => podsByOwner.GetValueOrDefault(rs.Metadata.Uid ?? "") ?? [])
            .Concat(o.Pods.Where(p => !orderedSets.Any(rs => rs.Metadata.Uid == ControllerUid(p.Metadata))).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
            .ToList();
        var hidden = Math.Max(0, orderedPods.Count - MaxPods);
        orderedPods = orderedPods.Take(MaxPods).ToList();

        var y = MapGraph.RowHeight;
        foreach (var pod in orderedPods)
        {
            Add(nodes, new MapNode(Id("Pod", pod.Metadata), "Pod", "pods", Ns(pod.Metadata), pod.Metadata.Name, PodCol, y, MapHealthRules.Pod(pod), MapHealthRules.PodStatus(pod)));
            y += MapGraph.RowHeight;
        }

        Column(nodes, ReplicaSetCol, orderedSets.Select(rs =>
        {
            var pods = (podsByOwner.GetValueOrDefault(rs.Metadata.Uid ?? "") ?? []).Select(p => Id("Pod", p.Metadata)).ToList();
            edges.AddRange(pods.Where(nodes.ContainsKey).Select(p => new MapEdge(Id("ReplicaSet", rs.Metadata), p, "owns")));
            return (new MapNode(Id("ReplicaSet", rs.Metadata), "ReplicaSet", "replicasets", Ns(rs.Metadata), rs.Metadata.Name, ReplicaSetCol, 0,
                MapHealthRules.ReplicaSet(rs), $"{rs.Status?.ReadyReplicas ?? 0}/{rs.Spec?.Replicas ?? 0}"), pods);
        }));

        Column(nodes, DeploymentCol, o.Deployments.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal).Select(d =>
        {
            var sets = (rsByDeployment.GetValueOrDefault(d.Metadata.Uid ?? "") ?? []).Select(rs => Id("ReplicaSet", rs.Metadata)).ToList();
            edges.AddRange(sets.Select(rs => new MapEdge(Id("Deployment", d.Metadata), rs, "owns")));
            return (new MapNode(Id("Deployment", d.Metadata), "Deployment", "deployments", Ns(d.Metadata), d.Metadata.Name, DeploymentCol, 0,
                MapHealthRules.Deployment(d), $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 0}"), sets);
        }));

        var podsByName = orderedPods.ToDictionary(p => p.Metadata.Name);
        Column(nodes, SliceCol, o.EndpointSlices.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).Select(s =>
        {
            var targets = (s.Endpoints ?? []).Where(e => e.TargetRef?.Kind == "Pod" && e.TargetRef.Name is { } n && podsByName.ContainsKey(n))
                .Select(e => Id("Pod", podsByName[e.TargetRef.Name].Metadata)).Distinct().ToList();
            edges.AddRange(targets.Select(p => new MapEdge(Id("EndpointSlice", s.Metadata), p, "endpoint")));
            var ready = (s.Endpoints ?? []).Count(e => e.Conditions?.Ready != false);
            return (new MapNode(Id("EndpointSlice", s.Metadata), "EndpointSlice", "endpointslices", Ns(s.Metadata), s.Metadata.Name, SliceCol, 0,
                ready > 0 ? MapHealth.Healthy : MapHealth.Failing, $"{ready} ready"), targets);
        }));

        var slicesByService = o.EndpointSlices.GroupBy(s => s.Metadata.Labels is { } l && l.TryGetValue("kubernetes.io/service-name", out var svc) ? svc : "")
            .ToDictionary(g => g.Key, g => g.Select(s => Id("EndpointSlice", s.Metadata)).ToList());
        Column(nodes, ServiceCol, o.Services.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).Select(s =>
        {
            var id = Id("Service", s.Metadata);
            var selected = Selected(s, orderedPods);
            // With endpoint slices the path runs through them; without, straight to the selected pods.
            var targets = slicesByService.GetValueOrDefault(s.Metadata.Name) ?? [];
            edges.AddRange(targets.Count > 0 ? targets.Select(t => new MapEdge(id, t, "slice")) : selected.Select(p => new MapEdge(id, Id("Pod", p.Metadata), "selects")));
            var health = s.Spec?.Selector is not { Count: > 0 } ? MapHealth.Idle
                : selected.Any(p => MapHealthRules.Pod(p) == MapHealth.Healthy) ? MapHealth.Healthy : MapHealth.Failing;
            return (new MapNode(id, "Service", "services", Ns(s.Metadata), s.Metadata.Name, ServiceCol, 0, health,
                $"{s.Spec?.Type ?? "ClusterIP"} {s.Spec?.ClusterIP}".Trim()), targets.Count > 0 ? targets : selected.Select(p => Id("Pod", p.Metadata)).ToList());
        }));

        var services = o.Services.ToDictionary(s => s.Metadata.Name);
        Column(nodes, IngressCol, o.Ingresses.OrderBy(i => i.Metadata.Name, StringComparer.Ordinal).Select(i =>
        {
            var backends = Backends(i).Distinct().ToList();
            var targets = backends.Where(services.ContainsKey).Select(b => Id("Service", services[b].Metadata)).ToList();
            edges.AddRange(targets.Select(t => new MapEdge(Id("Ingress", i.Metadata), t, "backend")));
            var health = backends.Count > 0 && backends.All(services.ContainsKey) ? MapHealth.Healthy : MapHealth.Failing;
            var host = i.Spec?.Rules?.FirstOrDefault()?.Host ?? "*";
            return (new MapNode(Id("Ingress", i.Metadata), "Ingress", "ingresses", Ns(i.Metadata), i.Metadata.Name, IngressCol, 0, health, host), targets);
        }));

        return new MapGraph([.. nodes.Values], edges.Where(e => nodes.ContainsKey(e.From) && nodes.ContainsKey(e.To)).ToList(), hidden);
    }

    /// <summary>Places a column's boxes at the mean height of their targets, in order, at least a row apart.</summary>
    private static void Column(Dictionary<string, MapNode> nodes, int column, IEnumerable<(MapNode Node, List<string> Targets)> items)
    {
        var previous = 0.0;
        foreach (var (node, targets) in items.ToList())
        {
            var ys = targets.Where(nodes.ContainsKey).Select(t => nodes[t].Y).ToList();
            var wanted = ys.Count > 0 ? ys.Average() : previous + MapGraph.RowHeight;
            var y = Math.Max(wanted, previous + MapGraph.RowHeight);
            Add(nodes, node with { Column = column, Y = y });
            previous = y;
        }
    }

    private static void Add(Dictionary<string, MapNode> nodes, MapNode node) => nodes[node.Id] = node;

    private static List<V1Pod> Selected(V1Service s, IEnumerable<V1Pod> pods) =>
        s.Spec?.Selector is { Count: > 0 } selector
            ? [.. pods.Where(p => p.Metadata.Labels is { } labels && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value))]
            : [];

    private static IEnumerable<string> Backends(V1Ingress i)
    {
        if (i.Spec?.DefaultBackend?.Service?.Name is { } d)
        {
            yield return d;
        }

        foreach (var path in (i.Spec?.Rules ?? []).SelectMany(r => r.Http?.Paths ?? []))
        {
            if (path.Backend?.Service?.Name is { } name)
            {
                yield return name;
            }
        }
    }

    private static string? ControllerUid(V1ObjectMeta meta) => meta.OwnerReferences?.FirstOrDefault(r => r.Controller == true)?.Uid;

    private static string Ns(V1ObjectMeta meta) => meta.NamespaceProperty ?? "";

    private static string Id(string kind, V1ObjectMeta meta) => $"{kind}/{meta.Name}";
}
