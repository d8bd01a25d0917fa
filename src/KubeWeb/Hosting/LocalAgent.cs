using System.Security.Cryptography.X509Certificates;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Node;
using KubeWeb.Agent.Runtime.Containerd;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Host.Hosting;

/// <summary>The node agent <c>kubeweb server</c> runs for its own machine (off with <c>--disable-agent</c>).</summary>
public sealed record LocalAgentSettings
{
    /// <summary>An existing containerd's CRI socket; null starts and supervises one under DATA_DIR/containerd.</summary>
    public string? ContainerRuntimeEndpoint { get; init; }

    public string NodeName { get; init; } = HostFacts.NodeName;

    public string? NodeIp { get; init; }

    /// <summary>The cgroup under which pods get their folders (tests use their own).</summary>
    public string CgroupRoot { get; init; } = "/kubeweb";

    /// <summary>Static pod manifests (<c>--pod-manifest-path</c>); null means DATA_DIR/manifests, as k3s' static pods folder.</summary>
    public string? PodManifestPath { get; init; }

    /// <summary>How often the node reports resource usage (<c>kubectl top</c>).</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The local node: a supervised containerd (config, images and CNI under the data dir) and an
/// in-process agent connected to the server's own endpoint. When containerd, runc or the CNI
/// plugins are missing it says what to install and the control plane runs without it.
/// </summary>
public sealed partial class LocalAgent : IAsyncDisposable
{
    private readonly ContainerdSupervisor? _containerd;

    private LocalAgent(AgentHost agent, ContainerdSupervisor? containerd)
    {
        Agent = agent;
        _containerd = containerd;
    }

    public AgentHost Agent { get; }

    /// <summary>The containerd this server supervises (null with an external endpoint).</summary>
    public ContainerdSupervisor? Containerd => _containerd;

    public static async Task<LocalAgent?> StartAsync(
        LocalAgentSettings settings, string dataDir, string serverUrl, string nodeToken, X509Certificate2 ca, ILoggerFactory loggers, CancellationToken ct)
    {
        var log = loggers.CreateLogger<LocalAgent>();
        ContainerdSupervisor? containerd = null;
        string socket;
        ContainerdConfig? managed = null;
        if (settings.ContainerRuntimeEndpoint is { Length: > 0 } endpoint)
        {
            socket = ContainerdRuntimeOptions.SocketFromEndpoint(endpoint);
        }
        else
        {
            if (ContainerdSupervisor.MissingPrerequisites() is { } missing)
            {
                LogNoAgent(log, missing);
                return null;
            }

            var images = Path.Combine(dataDir, "images");
            try
            {
                await ImageImporter.EnsureBuiltAsync(images, ct);
            }
            catch (InvalidOperationException e)
            {
                LogNoAgent(log, $"the local images could not be built ({e.Message}); install gcc, umoci and busybox-static (apt-get install -y gcc umoci busybox-static)");
                return null;
            }

            managed = new ContainerdConfig(Path.Combine(dataDir, "containerd"), ImageImporter.PauseImage);
            containerd = await ContainerdSupervisor.StartAsync(managed, loggers.CreateLogger<ContainerdSupervisor>(), ct);
            try
            {
                await ImageImporter.ImportMissingAsync(managed.SocketPath, images, ct);
            }
            catch
            {
                await containerd.DisposeAsync();
                throw;
            }

            socket = managed.SocketPath;
        }

        try
        {
            var agent = await AgentHost.StartAsync(new AgentOptions
            {
                Connection = new AgentConnectionSettings { Server = new Uri(serverUrl), Token = nodeToken, CertificateAuthority = ca, MaxReconnectDelay = TimeSpan.FromSeconds(2) },
                NodeName = settings.NodeName,
                NodeIp = settings.NodeIp,
                Runtime = RuntimeKind.Containerd,
                DataDir = dataDir,
                PodManifestPath = settings.PodManifestPath ?? Path.Combine(dataDir, "manifests"),
                StatsInterval = settings.StatsInterval,
                Containerd = new ContainerdRuntimeOptions
                {
                    SocketPath = socket,
                    DataDir = Path.Combine(dataDir, "agent"),
                    Managed = managed,
                    CgroupRoot = settings.CgroupRoot,
                },
            }, loggers, ct: ct);
            return new LocalAgent(agent, containerd);
        }
        catch
        {
            if (containerd is not null)
            {
                await containerd.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the agent and the supervised containerd; pods keep running in their shims, as with k3s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Agent.DisposeAsync();
        }
        finally
        {
            if (_containerd is not null)
            {
                await _containerd.DisposeAsync();
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Running the control plane without the local node agent: {Reason}")]
    private static partial void LogNoAgent(ILogger log, string reason);
}
