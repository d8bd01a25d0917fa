using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using k8s;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/KubeWeb.Bench -- pod-startup [--pods 50] [--rate 5] [--rss-pods 20]</c>:
/// pod startup latency through the whole system (create → Running as a watch sees it) on
/// <c>kubeweb server</c>'s own containerd, at the upstream SLO's shape (50 pods at 5 pods/s), beside
/// the raw CRI time (RunPodSandbox + CreateContainer + StartContainer) measured on the same
/// containerd in the same run; then the memory of a separate <c>kubeweb agent</c> process running
/// <c>--rss-pods</c> pods on the same containerd. Needs root and the packages .ci/run installs;
/// undoes its host changes at the end.
/// </summary>
internal static class PodStartupBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pods = Option(args, "--pods", 50);
        var rate = Option(args, "--rate", 5);
        var rssPods = Option(args, "--rss-pods", 20);
        var statsInterval = Option(args, "--stats-interval", 10);
        var hold = TimeSpan.FromSeconds(Option(args, "--rss-hold", 0));
        if (ContainerdSupervisor.MissingPrerequisites() is { } missing)
        {
            await Console.Error.WriteLineAsync("pod-startup needs root and: " + missing);
            return 2;
        }

        var dir = Directory.CreateTempSubdirectory("kwpodbench-").FullName;
        var cgroupRoot = "/kwbench" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var ipForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        ServerHost? server = null;
        ContainerdConfig? config = null;
        try
        {
            Step("starting kubeweb server with its local containerd");
            server = await ServerHost.StartAsync(new ServerSettings
            {
                DataDir = Path.Combine(dir, "data"),
                HttpsPort = 0,
                BindAddress = IPAddress.Loopback,
                LocalAgent = new LocalAgentSettings { NodeName = "bench", NodeIp = "127.0.0.1", CgroupRoot = cgroupRoot, StatsInterval = TimeSpan.FromSeconds(statsInterval) },
            }, l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
            var local = server.LocalAgent ?? throw new InvalidOperationException("the local agent did not start");
            config = local.Containerd!.Config;
            await local.Agent.Nodes[0].Registered.WaitAsync(TimeSpan.FromSeconds(60));
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));

            var rssOnly = args.Contains("--rss-only");
            List<double> raw = [], api = [];
            var rss = 0.0;
            if (!rssOnly)
            {
                Step($"raw CRI: {pods} pods at {rate}/s");
                raw = await RawCriAsync(config.SocketPath, cgroupRoot, pods, rate);
                Step($"API: {pods} pods at {rate}/s, create → Running through a watch");
                api = await ThroughApiAsync(client, pods, rate);
                rss = Rss("self");

                Step("removing the startup pods");
                await client.CoreV1.DeleteCollectionNamespacedPodAsync("default", gracePeriodSeconds: 0);
                await WaitForAsync(async () => (await local.Agent.Nodes[0].Runtime.ListPodsAsync(CancellationToken.None)).Count == 0, TimeSpan.FromMinutes(2));
            }

            Step($"agent RSS: `kubeweb agent` as a node runs it, with {rssPods} pods");
            Func<Task<int>> runtimePods = async () => (await local.Agent.Nodes[0].Runtime.ListPodsAsync(CancellationToken.None)).Count;
            var agentRss = await AgentRssAsync(server, client, config.SocketPath, cgroupRoot, Path.Combine(dir, "agent"), rssPods, inProcess: false, runtimePods, hold);
            AgentMemory? inProcessRss = null;
            if (agentRss.Lean)
            {
                Step($"agent RSS again with the agent inside `kubeweb` ({LeanAgentInProcess}=1)");
                inProcessRss = await AgentRssAsync(server, client, config.SocketPath, cgroupRoot, Path.Combine(dir, "agent"), rssPods, inProcess: true, runtimePods, hold);
            }

            if (!rssOnly)
            {
                var (p50, p99, rawP50) = (Percentile(api, 50), Percentile(api, 99), Percentile(raw, 50));
                Console.WriteLine($"## Pod startup, {pods} pods at {rate} pods/s (busybox sleep, one container)");
                Console.WriteLine();
                Console.WriteLine("| path | p50 | p99 | max |");
                Console.WriteLine("|---|---|---|---|");
                Console.WriteLine(Row("raw CRI (RunPodSandbox + Create + Start)", raw));
                Console.WriteLine(Row("kubeweb: create → Running (watch)", api));
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overhead: p50 {p50 / rawP50:F2}× the raw CRI time, p99 {p99 / Percentile(raw, 99):F2}×; in-process server + agent + bench client RSS {rss:F0} MiB"));
            }

            Console.WriteLine($"## Node agent memory, {rssPods} running pods");
            Console.WriteLine();
            Console.WriteLine("| agent binary | RSS idle | RSS with pods | peak | anonymous | file-backed | threads idle / with pods |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            Console.WriteLine(agentRss.Row());
            if (inProcessRss is { } inProcess)
            {
                Console.WriteLine(inProcess.Row());
            }
            else
            {
                Console.WriteLine($"(no {LeanAgentFile} beside kubeweb: the agent ran inside kubeweb; scripts/publish-agent.sh {AppContext.BaseDirectory.TrimEnd('/')} puts the NativeAOT agent there)");
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average while measuring: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} CPUs"));
            Console.WriteLine();
            Console.WriteLine("| target | value | met |");
            Console.WriteLine("|---|---|---|");
            if (!rssOnly)
            {
                var (p50, p99, rawP50) = (Percentile(api, 50), Percentile(api, 99), Percentile(raw, 50));
                Console.WriteLine(Target("p50 ≤ 400 ms", $"{p50:F0} ms", p50 <= 400));
                Console.WriteLine(Target("p99 ≤ 1 s", $"{p99:F0} ms", p99 <= 1000));
                Console.WriteLine(Target("p50 ≤ 2× raw CRI", $"{p50 / rawP50:F2}×", p50 <= 2 * rawP50));
            }

            Console.WriteLine(Target($"agent RSS ≤ 80 MiB ({rssPods} pods, {agentRss.Binary})", $"{agentRss.Rss:F1} MiB", agentRss.Rss <= 80));

            Step("cleaning up");
            await client.CoreV1.DeleteCollectionNamespacedPodAsync("default", gracePeriodSeconds: 0);
            return 0;
        }
        finally
        {
            try
            {
                if (server?.LocalAgent is { } local)
                {
                    var runtime = local.Agent.Nodes[0].Runtime;
                    foreach (var pod in await runtime.ListPodsAsync(CancellationToken.None))
                    {
                        await runtime.KillPodAsync(pod.Uid, TimeSpan.Zero, CancellationToken.None);
                        await runtime.RemovePodAsync(pod.Uid, CancellationToken.None);
                    }
                }

                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }
            finally
            {
                if (config is not null)
                {
                    await HostCleanup.RunAsync(config, cgroupRoot);
                }

                await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", ipForward + "\n");
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Sandboxes started straight through CRI (not labelled as KubeWeb's, so the agent leaves them alone), then removed.</summary>
    private static async Task<List<double>> RawCriAsync(string socket, string cgroupRoot, int count, int rate)
    {
        using var cri = new CriClient(socket);
        var image = (await cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = ImageImporter.BusyboxImage } })).Image.Id;
        var times = new ConcurrentBag<double>();
        var ids = new ConcurrentBag<string>();
        var tasks = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await WaitUntilAsync(clock, TimeSpan.FromSeconds((double)i / rate));
            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                var uid = Guid.NewGuid().ToString();
                var sandbox = new PodSandboxConfig
                {
                    Metadata = new PodSandboxMetadata { Name = $"raw-{n}", Namespace = "bench", Uid = uid },
                    Hostname = $"raw-{n}",
                    Linux = new LinuxPodSandboxConfig { CgroupParent = $"{cgroupRoot}/pod{uid}" },
                };
                var container = new ContainerConfig { Metadata = new ContainerMetadata { Name = "app" }, Image = new ImageSpec { Image = image } };
                container.Command.AddRange(["sleep", "3600"]);
                var sw = Stopwatch.StartNew();
                var id = (await cri.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandbox })).PodSandboxId;
                var cid = (await cri.Runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = id, Config = container, SandboxConfig = sandbox })).ContainerId;
                await cri.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = cid });
                times.Add(sw.Elapsed.TotalMilliseconds);
                ids.Add(id);
            }));
        }

        await Task.WhenAll(tasks);
        foreach (var id in ids)
        {
            await cri.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = id });
            await cri.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = id });
        }

        return [.. times];
    }

    private static async Task<List<double>> ThroughApiAsync(Kubernetes client, int count, int rate)
    {
        var created = new ConcurrentDictionary<string, long>();
        var running = new ConcurrentDictionary<string, double>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var list = await client.CoreV1.ListNamespacedPodAsync("default");
        var watch = Task.Run(async () =>
        {
            await foreach (var (_, pod) in client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                var now = Stopwatch.GetTimestamp();
                if (pod.Status?.Phase == "Running" && created.TryGetValue(pod.Metadata.Name, out var start) && running.TryAdd(pod.Metadata.Name, Stopwatch.GetElapsedTime(start, now).TotalMilliseconds) && running.Count == count)
                {
                    all.TrySetResult();
                    return;
                }
            }
        }, cts.Token);
        var clock = Stopwatch.StartNew();
        var creates = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            await WaitUntilAsync(clock, TimeSpan.FromSeconds((double)i / rate));
            var name = $"startup-{i}";
            created[name] = Stopwatch.GetTimestamp();
            creates.Add(client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 0,
                    Containers = [new V1Container { Name = "app", Image = ImageImporter.BusyboxImage, Command = ["sleep", "3600"] }],
                },
            }, "default"));
        }

        await Task.WhenAll(creates);
        await all.Task.WaitAsync(cts.Token);
        await cts.CancelAsync();
        try
        {
            await watch;
        }
        catch (OperationCanceledException)
        {
        }

        return [.. running.Values];
    }

    private static async Task WaitUntilAsync(Stopwatch clock, TimeSpan at)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    private static string Row(string what, List<double> ms) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what} | {Percentile(ms, 50):F0} ms | {Percentile(ms, 99):F0} ms | {ms.Max():F0} ms |");

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private const string LeanAgentFile = "kubeweb-agent";
    private const string LeanAgentInProcess = "KUBEWEB_AGENT_IN_PROCESS";

    /// <summary>An agent process' memory: VmRSS idle (registered, no pods) and with the pods, VmHWM, and the RSS split of smaps_rollup.</summary>
    private sealed record AgentMemory(string Binary, bool Lean, double Idle, double Rss, double Peak, double Anonymous, double File, (int Idle, int Pods) Threads)
    {
        public string Row() => string.Create(CultureInfo.InvariantCulture, $"| {Binary} | {Idle:F1} MiB | {Rss:F1} MiB | {Peak:F1} MiB | {Anonymous:F1} MiB | {File:F1} MiB | {Threads.Idle} / {Threads.Pods} |");
    }

    /// <summary>
    /// Starts <c>kubeweb agent</c> as its own process on the server's containerd (the server's local
    /// agent has no pods by then, and neither touches the other's), runs <paramref name="count"/> pods
    /// on it, lets a stats round pass, and reads the process' memory. <c>kubeweb agent</c> replaces
    /// itself with the NativeAOT <c>kubeweb-agent</c> when that sits beside it, as on a node;
    /// <paramref name="inProcess"/> keeps the agent inside <c>kubeweb</c>. The agent is stopped (its
    /// pods first) before returning.
    /// </summary>
    private static async Task<AgentMemory> AgentRssAsync(
        ServerHost server, Kubernetes client, string socket, string cgroupRoot, string dataDir, int count, bool inProcess, Func<Task<int>> runtimePods, TimeSpan hold)
    {
        const string node = "bench-agent";
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "kubeweb"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (inProcess)
        {
            psi.Environment[LeanAgentInProcess] = "1";
        }

        foreach (var a in new[]
        {
            "agent", "--server", server.Url, "--token-file", server.NodeTokenPath, "--certificate-authority", Path.Combine(Path.GetDirectoryName(server.NodeTokenPath)!, "tls", "ca.crt"),
            "--node-name", node, "--node-ip", "127.0.0.1", "--container-runtime-endpoint", socket, "--data-dir", dataDir, "--cgroup-root", cgroupRoot,
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var agent = Process.Start(psi) ?? throw new InvalidOperationException("could not start kubeweb agent");
        var stdout = agent.StandardOutput.ReadToEndAsync();
        var stderr = agent.StandardError.ReadToEndAsync();
        var pid = agent.Id.ToString(CultureInfo.InvariantCulture);
        try
        {
            var since = DateTime.UtcNow.AddSeconds(-1);
            await WaitForAsync(async () => (await client.CoordinationV1.ListNamespacedLeaseAsync("kube-node-lease", fieldSelector: $"metadata.name={node}")).Items is [{ } l]
                && l.Spec?.RenewTime > since, TimeSpan.FromSeconds(60));
            // The binary that runs the node: kubeweb itself, or the kubeweb-agent it exec'd.
            var exe = Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "kubeweb");
            var lean = exe == LeanAgentFile;
            var binary = lean ? $"{LeanAgentFile} (NativeAOT)" : $"kubeweb (JIT, agent in process{(inProcess ? $", {LeanAgentInProcess}=1" : "")})";
            await Task.Delay(TimeSpan.FromSeconds(10));
            var idle = Rss(pid);
            var idleThreads = (int)Rss(pid, "Threads:", 1);
            for (var i = 0; i < count; i++)
            {
                await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = $"rss-{i}" },
                    Spec = new V1PodSpec
                    {
                        NodeName = node,
                        TerminationGracePeriodSeconds = 0,
                        Containers = [new V1Container { Name = "app", Image = ImageImporter.BusyboxImage, Command = ["sleep", "3600"] }],
                    },
                }, "default");
            }

            await WaitForAsync(async () => (await client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: $"spec.nodeName={node}")).Items.Count(p => p.Status?.Phase == "Running") == count, TimeSpan.FromMinutes(2));
            // Let a stats round and a few status/heartbeat rounds pass at steady state.
            await Task.Delay(TimeSpan.FromSeconds(15));
            var rollup = SmapsRollup(pid);
            if (hold > TimeSpan.Zero)
            {
                Step($"holding agent {pid} ({binary}) with its pods for {hold.TotalSeconds:F0} s (--rss-hold), e.g. for dotnet-gcdump or /proc/{pid}/smaps");
                await Task.Delay(hold);
            }

            var result = new AgentMemory(binary, lean, idle, Rss(pid), Rss(pid, "VmHWM:"), rollup.Anonymous, rollup.Rss - rollup.Anonymous, (idleThreads, (int)Rss(pid, "Threads:", 1)));
            await client.CoreV1.DeleteCollectionNamespacedPodAsync("default", fieldSelector: $"spec.nodeName={node}", gracePeriodSeconds: 0);
            await WaitForAsync(async () => (await client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: $"spec.nodeName={node}")).Items.Count == 0, TimeSpan.FromMinutes(2));
            await WaitForAsync(async () => await runtimePods() == 0, TimeSpan.FromMinutes(2));
            return result;
        }
        catch (TimeoutException)
        {
            agent.Kill();
            await agent.WaitForExitAsync();
            Console.Error.WriteLine($"the agent ({psi.FileName} {string.Join(' ', psi.ArgumentList)}) printed:\n{await stdout}{await stderr}");
            throw;
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
                await agent.WaitForExitAsync();
            }
        }
    }

    /// <summary>Rss and Anonymous (MiB) of /proc/PID/smaps_rollup; the rest of the RSS is file-backed (binaries, mapped assemblies).</summary>
    private static (double Rss, double Anonymous) SmapsRollup(string pid)
    {
        double Field(string[] lines, string name) =>
            long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        var lines = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
        return (Field(lines, "Rss:"), Field(lines, "Anonymous:"));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("the bench waited too long for the cluster");
            }

            await Task.Delay(250);
        }
    }

    private static string Target(string what, string value, bool met) => $"| {what} | {value} | {(met ? "yes" : "no")} |";

    /// <summary>A field of /proc/PID/status: kB fields in MiB by default.</summary>
    private static double Rss(string pid, string field = "VmRSS:", double divisor = 1024.0)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / divisor;
    }

    private static void Step(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");
}
