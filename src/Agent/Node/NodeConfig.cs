using k8s.Models;

namespace KubeWeb.Agent.Node;

/// <summary>What one node agent registers: its name, address, labels, taints and capacity.</summary>
public sealed record NodeConfig
{
    public required string NodeName { get; init; }

    /// <summary>The node's InternalIP (also every pod's hostIP).</summary>
    public required string NodeIp { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Taints applied when the Node is first created (<c>--register-with-taints</c>).</summary>
    public IReadOnlyList<V1Taint> Taints { get; init; } = [];

    /// <summary>cpu, memory, pods, ephemeral-storage... as Kubernetes quantities.</summary>
    public required IReadOnlyDictionary<string, string> Capacity { get; init; }

    /// <summary>What pods may use; defaults to <see cref="Capacity"/>.</summary>
    public IReadOnlyDictionary<string, string>? Allocatable { get; init; }

    /// <summary>A pod CIDR of the agent's own choosing; null lets the server assign one.</summary>
    public string? PodCidr { get; init; }

    /// <summary>How often the node samples and reports resource usage (metrics-server's default resolution is 15 s).</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The folder of static pod manifests (<c>--pod-manifest-path</c>); null runs none.</summary>
    public string? PodManifestPath { get; init; }

    public string Architecture { get; init; } = HostFacts.Architecture;

    public string KernelVersion { get; init; } = HostFacts.KernelVersion;

    public string OsImage { get; init; } = HostFacts.OsImage;

    public string MachineId { get; init; } = HostFacts.MachineId;
}
