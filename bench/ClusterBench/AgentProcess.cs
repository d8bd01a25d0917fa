using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Bench.Cluster;

/// <summary>
/// The simulated nodes run in a child process (this executable, <c>agents</c> mode) so the bench
/// process's RSS and CPU are the server's (plus a small client), as with <c>kubeweb agent --nodes N</c>
/// on its own. The child prints <c>ready</c> once every node registered and exits when its stdin closes.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private const string Ready = "ready";
    private readonly Process _process;

    private AgentProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>
    /// Which agent runs the nodes: the published NativeAOT <c>kubeweb-agent</c> (what <c>kubeweb agent</c>
    /// execs in production) when <paramref name="binary"/> names one, else this executable's JIT agent.
    /// </summary>
    public string Kind { get; private init; } = "JIT (in this executable)";

    public static async Task<AgentProcess> StartAsync(string url, string tokenFile, string caFile, string prefix, int nodes, TimeSpan startDelay, TimeSpan limit, string? binary, string dataDir)
    {
        if (binary is not null)
        {
            return StartNative(binary, url, tokenFile, caFile, prefix, nodes, startDelay, dataDir);
        }

        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(AgentProcess).Assembly.Location);
        }

        info.FileName = self;
        foreach (var a in new[] { "agents", url, tokenFile, caFile, prefix, nodes.ToString(CultureInfo.InvariantCulture), ((int)startDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        // The agents are not what is measured: a small workstation heap is enough for them.
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info)!;
        var agents = new AgentProcess(process);
        try
        {
            using var cts = new CancellationTokenSource(limit);
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                if (line == Ready)
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return agents;
                }
            }

            throw new InvalidOperationException($"the agent process exited ({process.ExitCode}) before its nodes registered");
        }
        catch
        {
            await agents.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>kubeweb-agent --runtime simulated --nodes N</c>: the caller waits for the nodes through the API
    /// (the binary prints logs, not a ready line). Disposal closes nothing it reads: SIGTERM stops it.
    /// </summary>
    private static AgentProcess StartNative(string binary, string url, string tokenFile, string caFile, string prefix, int nodes, TimeSpan startDelay, string dataDir)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--server", url, "--token-file", tokenFile, "--certificate-authority", caFile, "--runtime", "simulated",
            "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--node-name", prefix, "--data-dir", dataDir,
            "--simulated-start-delay", ((int)startDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "--simulated-termination-scale", "0.01",
        })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        // Drain its logs so it never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        return new AgentProcess(process) { Kind = $"NativeAOT ({Path.GetFileName(binary)})", Native = true };
    }

    private bool Native { get; init; }

    /// <summary>Resident set of the agent process, in MiB.</summary>
    public double RssMiB() => Rss.Of(_process.Id);

    /// <summary>User + system CPU seconds the agent process has used so far.</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The child's entry point: <c>agents URL TOKEN_FILE CA_FILE PREFIX NODES START_DELAY_MS</c>.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var host = AgentHost.Start(new AgentOptions
        {
            Connection = new AgentConnectionSettings
            {
                Server = new Uri(args[1]),
                Token = (await File.ReadAllTextAsync(args[2])).Trim(),
                CertificateAuthority = X509CertificateLoader.LoadCertificateFromFile(args[3]),
                MaxReconnectDelay = TimeSpan.FromSeconds(2),
            },
            NodeName = args[4],
            NodeCount = int.Parse(args[5], CultureInfo.InvariantCulture),
            Runtime = RuntimeKind.Simulated,
            Simulated = new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromMilliseconds(int.Parse(args[6], CultureInfo.InvariantCulture)), TerminationScale = 0.01 },
        }, loggers);
        await using (host)
        {
            await Task.WhenAll(host.Nodes.Select(n => n.Registered));
            Console.Out.WriteLine(Ready);
            await Console.Out.FlushAsync();

            // Stdin closes when the parent disposes us or dies: either way, stop.
            await Console.In.ReadToEndAsync();
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (Native)
            {
                // SIGTERM: the agent's clean stop.
                using var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))!;
                await term.WaitForExitAsync();
            }
            else
            {
                _process.StandardInput.Close();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        _process.Dispose();
    }
}

/// <summary>User + system CPU seconds of this process (the server plus the bench client).</summary>
internal static class Cpu
{
    public static double Self() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}

/// <summary>This process's garbage collections (gen0/1/2 counts, pause time, bytes allocated) between two points.</summary>
internal readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated)
{
    public static GcSnapshot Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    /// <summary>"gen0/gen1/gen2 collections, pause, MiB allocated per 1,000 pods" since <paramref name="start"/>.</summary>
    public string Since(GcSnapshot start, int pods)
    {
        // CollectionCount(0) counts every GC; the generation figures are the collections of exactly that generation.
        var (g2, g1) = (Gen2 - start.Gen2, Gen1 - start.Gen1 - (Gen2 - start.Gen2));
        var g0 = Gen0 - start.Gen0 - g1 - g2;
        return string.Create(CultureInfo.InvariantCulture,
            $"{g0}/{g1}/{g2} GCs (gen0/1/2), {(Pause - start.Pause).TotalSeconds:F1} s paused, {(Allocated - start.Allocated) / 1048576.0 * 1000 / pods:F0} MiB allocated per 1,000 pods");
    }
}

/// <summary>The managed heap as the last GC left it: live size, committed memory and free space within it.</summary>
internal readonly record struct HeapSnapshot(double HeapMiB, double CommittedMiB, double FragmentedMiB)
{
    public static HeapSnapshot Take()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new(info.HeapSizeBytes / 1048576.0, info.TotalCommittedBytes / 1048576.0, info.FragmentedBytes / 1048576.0);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{HeapMiB:F0} MiB heap / {CommittedMiB:F0} MiB committed / {FragmentedMiB:F0} MiB free in the heap");

    /// <summary>How this process's GC is configured (server or workstation, heap count, DATAS, conserve-memory).</summary>
    public static string Settings()
    {
        var v = GC.GetConfigurationVariables();
        string Get(string key) => v.TryGetValue(key, out var o) ? Convert.ToString(o, CultureInfo.InvariantCulture) ?? "" : "?";
        return $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {Get("HeapCount")} heap(s), " +
            $"DATAS {(Get("GCDynamicAdaptationMode") == "1" ? "on" : "off")}, GCConserveMemory {Get("GCConserveMem")}, gen0 budget cap {Get("GCGen0MaxBudget")} B";
    }
}

internal static class Rss
{
    public static double Self() => Of(Environment.ProcessId);

    /// <summary>VmRSS of a process, in MiB.</summary>
    public static double Of(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
