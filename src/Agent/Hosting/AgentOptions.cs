using k8s.Models;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Agent.Runtime.Simulated;

namespace KubeWeb.Agent.Hosting;

public enum RuntimeKind
{
    Containerd,
    Simulated,
}

/// <summary>What <c>kubeweb agent</c> was asked to run, after parsing.</summary>
public sealed record AgentOptions
{
    public required AgentConnectionSettings Connection { get; init; }

    /// <summary>The node name; with <see cref="NodeCount"/> the prefix of <c>NAME-0..N-1</c>.</summary>
    public required string NodeName { get; init; }

    /// <summary>Null runs one node; a number runs that many simulated nodes in this process.</summary>
    public int? NodeCount { get; init; }

    public RuntimeKind Runtime { get; init; } = RuntimeKind.Containerd;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<V1Taint> Taints { get; init; } = [];

    /// <summary>The InternalIP; default: the host's primary address (one node) or 10.0.x.y per simulated node.</summary>
    public string? NodeIp { get; init; }

    public SimulatedRuntimeOptions Simulated { get; init; } = new();

    /// <summary>The containerd to drive (<see cref="RuntimeKind.Containerd"/>); required for that runtime.</summary>
    public ContainerdRuntimeOptions? Containerd { get; init; }

    /// <summary>Capacity of each simulated node (kwok's defaults).</summary>
    public IReadOnlyDictionary<string, string> SimulatedCapacity { get; init; } = new Dictionary<string, string>
    {
        ["cpu"] = "32",
        ["memory"] = "256Gi",
        ["pods"] = "110",
        ["ephemeral-storage"] = "100Gi",
    };

    /// <summary>How often each node reports resource usage (<c>kubectl top</c>).</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Static pod manifests run on the node (<c>--pod-manifest-path</c>, one node only); null runs none.</summary>
    public string? PodManifestPath { get; init; }

    /// <summary>Where the agent keeps state; also the disk whose size is the node's ephemeral-storage.</summary>
    public string DataDir { get; init; } = "/var/lib/kubeweb";
}
