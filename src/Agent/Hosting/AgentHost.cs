using KubeWeb.Agent.Node;
using KubeWeb.Agent.Runtime;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Agent.Runtime.Simulated;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Hosting;

/// <summary>
/// Runs the node agents of one process: one real node, or with <c>--nodes N</c> N simulated nodes,
/// each with its own connection, Lease, capacity and runtime.
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly List<NodeAgent> _nodes;
    private int _disposed;

    private AgentHost(List<NodeAgent> nodes) => _nodes = nodes;

    /// <summary>
    /// Starts the agent for any runtime: with containerd, connects to its socket first (the
    /// Node reports its version), so a missing or silent containerd fails here.
    /// </summary>
    /// <exception cref="IOException">The containerd socket is missing.</exception>
    public static async Task<AgentHost> StartAsync(AgentOptions options, ILoggerFactory loggers, TimeProvider? time = null, Random? random = null, CancellationToken ct = default)
    {
        if (options.Runtime != RuntimeKind.Containerd)
        {
            return Start(options, loggers, time, random);
        }

        if (options.NodeCount is not null)
        {
            throw new ArgumentException("--nodes needs --runtime simulated");
        }

        var containerd = options.Containerd ?? throw new ArgumentException("the containerd runtime needs a --container-runtime-endpoint");
        time ??= TimeProvider.System;
        var runtime = await ContainerdRuntime.ConnectAsync(containerd, time, loggers, ct);
        var node = new NodeAgent(Config(options, 0), runtime, options.Connection, time, new Random((random ?? Random.Shared).Next()), loggers);
        node.Start();
        return new AgentHost([node]);
    }

    public IReadOnlyList<NodeAgent> Nodes => _nodes;

    /// <summary>Starts every node in the background; <see cref="NodeAgent.Registered"/> tells when each is in.</summary>
    /// <exception cref="NotSupportedException">The containerd runtime (it needs <see cref="StartAsync"/>).</exception>
    public static AgentHost Start(AgentOptions options, ILoggerFactory loggers, TimeProvider? time = null, Random? random = null)
    {
        time ??= TimeProvider.System;
        random ??= Random.Shared;
        if (options.Runtime == RuntimeKind.Containerd)
        {
            throw new NotSupportedException("the containerd runtime connects asynchronously: use AgentHost.StartAsync");
        }

        if (options.NodeCount is < 1)
        {
            throw new ArgumentException("--nodes must be at least 1");
        }

        var nodes = new List<NodeAgent>();
        var count = options.NodeCount ?? 1;
        for (var i = 0; i < count; i++)
        {
            var config = Config(options, i);
            IPodRuntime runtime = new SimulatedRuntime(options.Simulated, time);
            nodes.Add(new NodeAgent(config, runtime, options.Connection, time, new Random(random.Next()), loggers));
        }

        foreach (var n in nodes)
        {
            n.Start();
        }

        return new AgentHost(nodes);
    }

    private static NodeConfig Config(AgentOptions options, int index)
    {
        var multi = options.NodeCount is not null;
        var simulated = options.Runtime == RuntimeKind.Simulated;
        var (capacity, allocatable) = simulated
            ? (new Dictionary<string, string>(options.SimulatedCapacity), new Dictionary<string, string>(options.SimulatedCapacity))
            : HostFacts.Resources(options.DataDir);
        return new NodeConfig
        {
            NodeName = multi ? $"{options.NodeName}-{index}" : options.NodeName,
            NodeIp = options.NodeIp is { } ip && !multi ? ip : multi ? $"10.0.{(index + 1) / 256}.{(index + 1) % 256}" : HostFacts.PrimaryIp(),
            Labels = options.Labels,
            Taints = options.Taints,
            Capacity = capacity,
            Allocatable = allocatable,
            StatsInterval = options.StatsInterval,
            PodManifestPath = multi ? null : options.PodManifestPath,
        };
    }

    /// <summary>Stops the node agents and their runtimes (pods keep running); later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask()));
        foreach (var runtime in _nodes.Select(n => n.Runtime).OfType<IAsyncDisposable>())
        {
            await runtime.DisposeAsync();
        }
    }
}
