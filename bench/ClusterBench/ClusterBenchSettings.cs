using System.Globalization;

namespace KubeWeb.Bench.Cluster;

/// <summary>What one run measures. Every wait is bounded by <see cref="Limit"/>, so a run always ends.</summary>
internal sealed record ClusterBenchSettings
{
    public string Scenario { get; init; } = "all";

    /// <summary>Simulated nodes of the scheduler scenario (one agent process, one SignalR connection each).</summary>
    public int SchedulerNodes { get; init; } = 1000;

    public int SchedulerPods { get; init; } = 10_000;

    /// <summary>Pods created and bound before the measured ones, as upstream scheduler_perf's
    /// <c>initPods</c> (5,000 in most of its 5000Nodes workloads; SchedulingBasic uses 1,000): the
    /// process (JIT tiers, caches, connections) is warm when measuring starts.</summary>
    public int SchedulerInitPods { get; init; } = 5_000;

    /// <summary>Concurrent HTTP clients creating the scheduler scenario's pods.</summary>
    public int Clients { get; init; } = 32;

    public int DensityNodes { get; init; } = 100;

    public int DensityPods { get; init; } = 3000;

    /// <summary>Pod deletions per second during the churn phase; each brings a replacement (create, bind, run).</summary>
    public int ChurnPerSecond { get; init; } = 20;

    public TimeSpan ChurnDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>ConfigMap updates per second measured during the churn.</summary>
    public int UpdatesPerSecond { get; init; } = 20;

    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan Limit { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the scheduler scenario samples the CPU of idle nodes before it creates pods.</summary>
    public TimeSpan IdleSample { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The in-process controller manager talks to the API over the server's Unix socket (false: loopback HTTPS, as before).</summary>
    public bool ApiSocket { get; init; } = true;

    /// <summary>
    /// The simulated nodes' agent: the NativeAOT <c>kubeweb-agent</c> (<c>--agent-binary PATH</c>, else
    /// <c>KUBEWEB_AGENT_BINARY</c>, else <c>dist/agent/kubeweb-agent</c> when published), which is what
    /// <c>kubeweb agent</c> runs; <c>--agent-binary jit</c> (or none published) runs this executable's JIT agent.
    /// </summary>
    public string? AgentBinary { get; init; } = DefaultAgentBinary();

    private static string? DefaultAgentBinary()
    {
        if (Environment.GetEnvironmentVariable("KUBEWEB_AGENT_BINARY") is { Length: > 0 } set)
        {
            return set;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "dist", "agent", "kubeweb-agent");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static ClusterBenchSettings Parse(string[] args)
    {
        var s = new ClusterBenchSettings();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            s = args[i] switch
            {
                "--scenario" => value is "scheduler" or "density" or "all" ? s with { Scenario = value } : throw new ArgumentException($"--scenario is scheduler, density or all, not {value}"),
                "--nodes" => s with { SchedulerNodes = Int() },
                "--pods" => s with { SchedulerPods = Int() },
                "--init-pods" => s with { SchedulerInitPods = Int() },
                "--clients" => s with { Clients = Int() },
                "--density-nodes" => s with { DensityNodes = Int() },
                "--density-pods" => s with { DensityPods = Int() },
                "--churn" => s with { ChurnPerSecond = Int() },
                "--churn-seconds" => s with { ChurnDuration = TimeSpan.FromSeconds(Int()) },
                "--start-delay-ms" => s with { StartDelay = TimeSpan.FromMilliseconds(Int()) },
                "--limit-seconds" => s with { Limit = TimeSpan.FromSeconds(Int()) },
                "--agent-binary" => s with { AgentBinary = value == "jit" ? null : File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--agent-binary: no file {value}") },
                "--api-socket" => s with { ApiSocket = value is "on" ? true : value is "off" ? false : throw new ArgumentException($"--api-socket is on or off, not {value}") },
                _ => throw new ArgumentException(
                    $"unknown option {args[i]}; use --scenario scheduler|density|all, --nodes N, --pods N, --init-pods N, --clients N, " +
                    "--density-nodes N, --density-pods N, --churn N, --churn-seconds N, --start-delay-ms N, --limit-seconds N, --api-socket on|off, --agent-binary PATH|jit"),
            };
        }

        return s;
    }
}
