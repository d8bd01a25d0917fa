using k8s.Models;
using KubeWeb.Controllers.Scheduling.Cache;
using KubeWeb.Controllers.Scheduling.Framework;

namespace KubeWeb.Controllers.Tests.Scheduling;

/// <summary>In-memory nodes, pods and snapshots for plugin and cycle tests.</summary>
internal static class Kit
{
    public static V1Node Node(string name, string cpu = "4", string memory = "8Gi", int pods = 110,
        Dictionary<string, string>? labels = null, IEnumerable<V1Taint>? taints = null, bool unschedulable = false,
        Dictionary<string, string>? extra = null)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu),
            ["memory"] = new(memory),
            ["pods"] = new(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new("100Gi"),
        };
        foreach (var (k, v) in extra ?? [])
        {
            allocatable[k] = new ResourceQuantity(v);
        }

        var allLabels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name };
        foreach (var (k, v) in labels ?? [])
        {
            allLabels[k] = v;
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = allLabels, ResourceVersion = "1" },
            Spec = new V1NodeSpec { Taints = taints?.ToList(), Unschedulable = unschedulable ? true : null },
            Status = new V1NodeStatus
            {
                Allocatable = allocatable,
                Capacity = allocatable,
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
            },
        };
    }

    public static V1Pod Pod(string name, string? cpu = null, string? memory = null, string ns = "default",
        Dictionary<string, string>? labels = null, string? owner = null, Dictionary<string, string>? extra = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }

        foreach (var (k, v) in extra ?? [])
        {
            requests[k] = new ResourceQuantity(v);
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Uid = Guid.NewGuid().ToString(),
                Labels = labels,
                ResourceVersion = "1",
                OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = owner, Uid = owner, Controller = true }],
            },
            Spec = new V1PodSpec
            {
                SchedulerName = "default-scheduler",
                Containers = [new V1Container { Name = "c", Image = "nginx", Resources = new V1ResourceRequirements { Requests = requests } }],
            },
            Status = new V1PodStatus { Phase = "Pending" },
        };
    }

    public static V1Pod On(this V1Pod pod, string node)
    {
        pod.Spec.NodeName = node;
        return pod;
    }

    public static V1Taint Taint(string key, string effect, string? value = null) => new() { Key = key, Value = value, Effect = effect };

    public static NodeInfo Info(V1Node node, params V1Pod[] pods) =>
        pods.Aggregate(NodeInfo.For(node), (info, p) => info.WithPod(PodInfo.Create(p)));

    public static ClusterSnapshot Snapshot(params NodeInfo[] nodes) => ClusterSnapshot.Of(nodes);

    /// <summary>Runs the plugin's pre-filter (if any) then its filter; the reasons, or null when it fits.</summary>
    public static string? Filter(IFilterPlugin plugin, V1Pod pod, NodeInfo node, ClusterSnapshot? snapshot = null)
    {
        var state = new CycleState();
        var info = PodInfo.Create(pod);
        if (plugin is IPreFilterPlugin pre)
        {
            var rejected = pre.PreFilter(state, info, snapshot ?? Snapshot(node));
            if (rejected is not null)
            {
                return rejected.ToString();
            }
        }

        return plugin.Filter(state, info, node)?.ToString();
    }

    /// <summary>Normalized scores of the plugin over these nodes, by node name.</summary>
    public static Dictionary<string, long> Scores(IScorePlugin plugin, V1Pod pod, params NodeInfo[] nodes)
    {
        var state = new CycleState();
        var info = PodInfo.Create(pod);
        var snapshot = Snapshot(nodes);
        if (plugin is IPreFilterPlugin pre)
        {
            pre.PreFilter(state, info, snapshot);
        }

        plugin.PreScore(state, info, snapshot, nodes);
        var scores = nodes.Select(n => plugin.Score(state, info, n)).ToArray();
        plugin.Normalize(state, scores);
        return nodes.Select((n, i) => (n.Name, scores[i])).ToDictionary(x => x.Name, x => x.Item2);
    }
}
