using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Node;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Agent.Runtime.Simulated;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Hosting;

/// <summary>
/// <c>kubeweb agent</c>: a node agent (the kubelet's part), or many simulated ones. The same
/// command is the whole of the lean <c>kubeweb-agent</c> executable (src/AgentHost), which
/// <c>kubeweb agent</c> runs instead of itself when it sits beside it.
/// </summary>
public static class AgentCommand
{
    public const string Description = "Run a node agent that connects to a KubeWeb server and runs the pods bound to its node";

    /// <summary><c>kubeweb agent</c>.</summary>
    public static Command Create() => Configure(new Command("agent", Description));

    /// <summary>Adds the agent's options and action to <paramref name="command"/> (a subcommand, or <c>kubeweb-agent</c>'s root).</summary>
    public static TCommand Configure<TCommand>(TCommand command)
        where TCommand : Command
    {
        var server = new Option<string>("--server") { Description = "URL of the KubeWeb API server", Required = true };
        var tokenFile = new Option<FileInfo>("--token-file") { Description = "File holding the node join token (the server's DATA_DIR/node-token)", Required = true };
        var caFile = new Option<FileInfo?>("--certificate-authority") { Description = "CA certificate (PEM) of the API server; without it TLS is not verified" };
        var nodeName = new Option<string?>("--node-name") { Description = "Node name (default: the host name); with --nodes, the prefix of NAME-0..N-1" };
        var runtime = new Option<string>("--runtime") { Description = "Container runtime: containerd or simulated", DefaultValueFactory = _ => "containerd" };
        runtime.AcceptOnlyFromAmong("containerd", "simulated");
        var labels = new Option<string?>("--node-labels") { Description = "Labels to add when registering the node: key=value,..." };
        var taints = new Option<string?>("--register-with-taints") { Description = "Taints the node registers with: key=value:Effect,..." };
        var nodes = new Option<int?>("--nodes") { Description = "Run this many simulated nodes in this process (needs --runtime simulated)" };
        var endpoint = new Option<string?>("--container-runtime-endpoint") { Description = "containerd's CRI socket, e.g. unix:///run/containerd/containerd.sock (needed with --runtime containerd)" };
        var dataDir = new Option<string?>("--data-dir", "-d") { Description = "Folder for pod files and logs (default /var/lib/kubeweb/agent, or ./data/agent)" };
        var nodeIp = new Option<string?>("--node-ip") { Description = "The node's InternalIP (default: the host's primary address)" };
        var startDelay = new Option<int>("--simulated-start-delay") { Description = "Milliseconds a simulated pod stays Pending before it runs", DefaultValueFactory = _ => 200 };
        var terminationScale = new Option<double>("--simulated-termination-scale") { Description = "Factor applied to grace periods when simulated pods stop (0.1 = ten times faster)", DefaultValueFactory = _ => 1.0 };
        var manifests = new Option<string?>("--pod-manifest-path") { Description = "Folder of static pod manifests (YAML/JSON) this node runs and mirrors into the API (one node only)" };
        var statsInterval = new Option<int>("--stats-interval") { Description = "Seconds between resource usage reports (kubectl top)", DefaultValueFactory = _ => 10 };
        var cgroupRoot = new Option<string>("--cgroup-root") { Description = "cgroup (cgroupfs path) under which pods get their pod<uid> folders", DefaultValueFactory = _ => "/kubeweb" };
        foreach (var option in new Option[] { server, tokenFile, caFile, nodeName, runtime, endpoint, dataDir, labels, taints, nodes, nodeIp, startDelay, terminationScale, manifests, statsInterval, cgroupRoot })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var kind = parse.GetValue(runtime) == "simulated" ? RuntimeKind.Simulated : RuntimeKind.Containerd;
            var agentDir = Path.GetFullPath(parse.GetValue(dataDir) ?? Path.Combine(Directory.Exists("/var/lib/kubeweb") ? "/var/lib/kubeweb" : "data", "agent"));
            ContainerdRuntimeOptions? containerd = null;
            if (kind == RuntimeKind.Containerd)
            {
                if (parse.GetValue(endpoint) is not { Length: > 0 } socket)
                {
                    await Console.Error.WriteLineAsync("error: --runtime containerd needs --container-runtime-endpoint (containerd's CRI socket); `kubeweb server` runs its own containerd for the local node");
                    return 1;
                }

                if (parse.GetValue(nodes) is not null)
                {
                    await Console.Error.WriteLineAsync("error: --nodes needs --runtime simulated");
                    return 1;
                }

                containerd = new ContainerdRuntimeOptions { SocketPath = ContainerdRuntimeOptions.SocketFromEndpoint(socket), DataDir = agentDir, CgroupRoot = parse.GetValue(cgroupRoot)! };
            }

            if (parse.GetValue(manifests) is { Length: > 0 } && parse.GetValue(nodes) is not null)
            {
                await Console.Error.WriteLineAsync("error: --pod-manifest-path runs static pods on one node; it cannot be combined with --nodes");
                return 1;
            }

            if (parse.GetValue(statsInterval) < 1)
            {
                await Console.Error.WriteLineAsync("error: --stats-interval must be at least 1 second");
                return 1;
            }

            if (parse.GetValue(nodes) is { } n && n < 1)
            {
                await Console.Error.WriteLineAsync("error: --nodes must be at least 1");
                return 1;
            }

            X509Certificate2? ca = null;
            if (parse.GetValue(caFile) is { } f)
            {
                ca = X509CertificateLoader.LoadCertificateFromFile(f.FullName);
            }
            else
            {
                await Console.Error.WriteLineAsync("warning: no --certificate-authority given; the API server's certificate is not verified");
            }

            AgentOptions options;
            try
            {
                options = new AgentOptions
                {
                    Connection = new AgentConnectionSettings
                    {
                        Server = new Uri(parse.GetValue(server)!),
                        Token = (await File.ReadAllTextAsync(parse.GetValue(tokenFile)!.FullName, ct)).Trim(),
                        CertificateAuthority = ca,
                    },
                    NodeName = parse.GetValue(nodeName) ?? HostFacts.NodeName,
                    NodeCount = parse.GetValue(nodes),
                    Runtime = kind,
                    Labels = NodeFactory.ParseLabels(parse.GetValue(labels)),
                    Taints = NodeFactory.ParseTaints(parse.GetValue(taints)),
                    NodeIp = parse.GetValue(nodeIp),
                    DataDir = agentDir,
                    Containerd = containerd,
                    PodManifestPath = parse.GetValue(manifests) is { Length: > 0 } m ? Path.GetFullPath(m) : null,
                    StatsInterval = TimeSpan.FromSeconds(parse.GetValue(statsInterval)),
                    Simulated = new SimulatedRuntimeOptions
                    {
                        StartDelay = TimeSpan.FromMilliseconds(parse.GetValue(startDelay)),
                        TerminationScale = parse.GetValue(terminationScale),
                    },
                };
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            using var loggers = LoggerFactory.Create(b =>
            {
                b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
                b.SetMinimumLevel(LogLevel.Information);
                b.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            });
            AgentHost host;
            try
            {
                host = await AgentHost.StartAsync(options, loggers, ct: ct);
            }
            catch (Exception e) when (e is IOException or Grpc.Core.RpcException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            await using var _ = host;
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
