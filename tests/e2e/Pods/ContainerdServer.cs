using System.Net;
using System.Security.Cryptography;
using k8s;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeWeb.E2E.Pods;

/// <summary>
/// <c>kubeweb server</c> as a user runs it: the control plane plus the local node agent with
/// the containerd it supervises under the data dir (images built and imported). Disposal removes
/// the pods, stops everything and undoes the host changes (shims, mounts, bridge, cgroups,
/// ip_forward). Needs root and the Debian packages .ci/run installs.
/// </summary>
public sealed class ContainerdServer : IAsyncLifetime
{
    private string? _ipForward;

    public string Dir { get; } = Directory.CreateTempSubdirectory("kwpods-").FullName;

    public string CgroupRoot { get; } = "/kwe2e" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public ServerHost Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (ContainerdSupervisor.MissingPrerequisites() is { } missing)
        {
            throw new InvalidOperationException("the pod scenarios need root and: " + missing);
        }

        _ipForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        Server = await ServerHost.StartAsync(new ServerSettings
        {
            DataDir = Path.Combine(Dir, "data"),
            HttpsPort = 0,
            BindAddress = IPAddress.Loopback,
            LocalAgent = new LocalAgentSettings { NodeName = "local", NodeIp = "127.0.0.1", CgroupRoot = CgroupRoot, StatsInterval = TimeSpan.FromSeconds(2) },
        }, logging: b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "server.log")));
            b.SetMinimumLevel(LogLevel.Information);
            b.AddFilter("Microsoft", LogLevel.Warning);
            b.AddFilter("System.Net.Http", LogLevel.Warning);
        });
        if (Server.LocalAgent is null)
        {
            throw new InvalidOperationException($"the local agent did not start; see {Path.Combine(Dir, "server.log")}");
        }

        await Server.LocalAgent.Agent.Nodes[0].Registered.WaitAsync(TimeSpan.FromSeconds(60));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    /// <summary>
    /// Waits until the host's addresses stop changing after a pod started: its veth gets an IPv6
    /// link-local address a second or two later (duplicate address detection), and Chromium aborts
    /// page loads and drops WebSockets on any such change (ERR_NETWORK_CHANGED). Quiet = no tentative
    /// address and the same address list twice, 500 ms apart.
    /// </summary>
    public static async Task WaitForHostNetworkQuietAsync()
    {
        const int Tentative = 0x40;
        static string Snapshot() => File.Exists("/proc/net/if_inet6") ? File.ReadAllText("/proc/net/if_inet6") : "";
        static bool AnyTentative(string table) => table.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length >= 5 && (Convert.ToInt32(f[4], 16) & Tentative) != 0);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var previous = Snapshot();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var current = Snapshot();
            if (current == previous && !AnyTentative(current))
            {
                return;
            }

            previous = current;
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        var config = Server?.LocalAgent?.Containerd?.Config;
        try
        {
            if (Server?.LocalAgent is { } local && local.Agent.Nodes[0].Runtime is ContainerdRuntime agentRuntime)
            {
                // The agent first: its pod workers would re-sync pods still in the API (a new sandbox,
                // a token tmpfs) while they are removed here. containerd keeps running until the server stops.
                var options = agentRuntime.Options;
                await local.Agent.DisposeAsync();
                await using var runtime = await ContainerdRuntime.ConnectAsync(options, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
                // Pods CRI still holds, and pod folders a removal cut short by the agent's stop left behind
                // (the sandbox gone, a token tmpfs still mounted).
                var uids = (await runtime.ListPodsAsync(CancellationToken.None)).Select(p => p.Uid)
                    .Concat(Directory.Exists(options.PodsDir) ? Directory.GetDirectories(options.PodsDir).Select(Path.GetFileName).OfType<string>() : [])
                    .Distinct(StringComparer.Ordinal);
                foreach (var uid in uids)
                {
                    await runtime.KillPodAsync(uid, TimeSpan.Zero, CancellationToken.None);
                    await runtime.RemovePodAsync(uid, CancellationToken.None);
                }
            }
        }
        finally
        {
            try
            {
                if (Server is not null)
                {
                    await Server.DisposeAsync();
                }
            }
            finally
            {
                await CleanHostAsync(config);
            }
        }
    }

    private async Task CleanHostAsync(ContainerdConfig? config)
    {
        {
            if (config is not null)
            {
                await HostCleanup.RunAsync(config, CgroupRoot);
            }

            if (_ipForward is not null)
            {
                await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", _ipForward + "\n");
            }

            if (Environment.GetEnvironmentVariable("KUBEWEB_E2E_KEEP") != "1")
            {
                try
                {
                    Directory.Delete(Dir, recursive: true);
                }
                catch (IOException)
                {
                    // A lazily unmounted folder may still be going away.
                }
            }
        }
    }
}
