using System.CommandLine;
using System.Net;
using KubeWeb.Host.Hosting;

namespace KubeWeb.Host.Cli;

/// <summary><c>kubeweb server</c>: the control plane, with flags named as k3s names them.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir", "-d") { Description = "Folder for the database, TLS files, tokens and kubeconfig (default ./data, or /var/lib/kubeweb when it exists)" };
        var port = new Option<int>("--https-listen-port") { Description = "HTTPS port of the API and console", DefaultValueFactory = _ => 6443 };
        var bind = new Option<string?>("--bind-address") { Description = "Address to listen on (default: all addresses)" };
        var datastore = new Option<string?>("--datastore-endpoint") { Description = "postgres://user:pass@host:port/db, postgresql://..., a Npgsql connection string, or sqlite://PATH (default: SQLite in the data dir)" };
        var kubeconfig = new Option<string?>("--write-kubeconfig", "-o") { Description = "Where to write the admin kubeconfig (default DATA_DIR/kubeconfig.yaml)" };
        var sans = new Option<string[]>("--tls-san") { Description = "Extra host name or IP for the serving certificate (repeatable)", AllowMultipleArgumentsPerToken = false };
        var retention = new Option<int?>("--compaction-retention-seconds") { Description = "How long the change log keeps revisions for watches to resume from (default 300)" };
        var eventTtl = new Option<int?>("--event-ttl-seconds") { Description = "How long Events are kept after they were last recorded (default 3600, as kube-apiserver's --event-ttl)" };
        var disableControllers = new Option<bool>("--disable-controllers") { Description = "Run the API without the in-process controller manager and scheduler" };
        var notReadySeconds = new Option<long>("--default-not-ready-toleration-seconds") { Description = "tolerationSeconds of the not-ready NoExecute toleration added to every pod", DefaultValueFactory = _ => 300 };
        var unreachableSeconds = new Option<long>("--default-unreachable-toleration-seconds") { Description = "tolerationSeconds of the unreachable NoExecute toleration added to every pod", DefaultValueFactory = _ => 300 };
        var disableAgent = new Option<bool>("--disable-agent") { Description = "Run the control plane alone, without a node agent (and containerd) for this machine" };
        var endpoint = new Option<string?>("--container-runtime-endpoint") { Description = "Use this containerd (CRI socket, e.g. unix:///run/containerd/containerd.sock) instead of starting one under DATA_DIR/containerd" };
        var nodeName = new Option<string?>("--node-name") { Description = "Name of this machine's node (default: the host name)" };
        var storagePath = new Option<string?>("--default-local-storage-path") { Description = "Folder on each node for local-path volumes (default DATA_DIR/storage)" };
        var graceOption = new Option<int>("--node-monitor-grace-period") { Description = "Seconds a node's lease may go unrenewed before it is marked NotReady/Unknown", DefaultValueFactory = _ => 50 };
        var podGcThreshold = new Option<int>("--terminated-pod-gc-threshold") { Description = "Terminated pods kept before the pod GC deletes the oldest (0 keeps all)", DefaultValueFactory = _ => 12500 };
        var manifests = new Option<string?>("--pod-manifest-path") { Description = "Folder of static pod manifests the local node runs (default DATA_DIR/manifests)" };
        var command = new Command("server", "Run a KubeWeb cluster on this machine: API server and console, controllers and scheduler, and a local containerd node; writes an admin kubeconfig")
        {
            dataDir, port, bind, datastore, kubeconfig, sans, retention, eventTtl, disableControllers, disableAgent, endpoint, nodeName, graceOption, podGcThreshold, notReadySeconds, unreachableSeconds, manifests, storagePath,
        };
        command.SetAction(async (parse, ct) =>
        {
            IPAddress? address = null;
            if (parse.GetValue(bind) is { Length: > 0 } b && !IPAddress.TryParse(b, out address))
            {
                await Console.Error.WriteLineAsync($"--bind-address: \"{b}\" is not an IP address");
                return 2;
            }

            var data = Path.GetFullPath(parse.GetValue(dataDir) ?? ServerSettings.DefaultDataDir());
            var settings = new ServerSettings
            {
                DataDir = data,
                HttpsPort = parse.GetValue(port),
                BindAddress = address,
                DatastoreEndpoint = parse.GetValue(datastore),
                KubeconfigPath = parse.GetValue(kubeconfig),
                TlsSans = parse.GetValue(sans) ?? [],
                CompactionRetention = parse.GetValue(retention) is { } r ? TimeSpan.FromSeconds(r) : null,
                EventTtl = parse.GetValue(eventTtl) is { } ttl ? TimeSpan.FromSeconds(ttl) : null,
                DisableControllers = parse.GetValue(disableControllers),
                DefaultLocalStoragePath = parse.GetValue(storagePath) is { Length: > 0 } sp ? Path.GetFullPath(sp) : null,
                DefaultNotReadyTolerationSeconds = parse.GetValue(notReadySeconds),
                DefaultUnreachableTolerationSeconds = parse.GetValue(unreachableSeconds),
                LocalAgent = parse.GetValue(disableAgent) ? null : new LocalAgentSettings
                {
                    ContainerRuntimeEndpoint = parse.GetValue(endpoint),
                    NodeName = parse.GetValue(nodeName) ?? Agent.Node.HostFacts.NodeName,
                    PodManifestPath = Path.GetFullPath(parse.GetValue(manifests) ?? Path.Combine(data, "manifests")),
                },
                Controllers = new Controllers.Hosting.ControllerManagerOptions
                {
                    NodeMonitorGracePeriod = TimeSpan.FromSeconds(parse.GetValue(graceOption)),
                    TerminatedPodGcThreshold = parse.GetValue(podGcThreshold),
                },
            };

            try
            {
                await using var host = await ServerHost.StartAsync(settings, ct: ct);
                Console.WriteLine($"KubeWeb API server listening on {host.Url}");
                Console.WriteLine($"Admin kubeconfig written to {host.KubeconfigPath}");
                Console.WriteLine($"Try: kubectl --kubeconfig {host.KubeconfigPath} get namespaces");
                await host.WaitForShutdownAsync(ct);
                return 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopped while still starting: as clean a stop as any other.
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or System.Net.Sockets.SocketException or InvalidOperationException or Grpc.Core.RpcException)
            {
                await Console.Error.WriteLineAsync($"kubeweb server: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
