using System.Globalization;
using System.Net;
using KubeWeb.Host.Hosting;
using KubeWeb.TestSupport;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/KubeWeb.Bench -- [--datastore sqlite|postgres] [--pods 3000]</c>
/// (or <c>-- pod-startup</c>, see <see cref="PodStartupBench"/>):
/// starts the real server in process (HTTPS, port 0, a temp data dir; for postgres a throwaway
/// PostgreSQL), measures the raw engine and the API, and prints one markdown table.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["pod-startup", ..])
        {
            return await PodStartupBench.RunAsync(args[1..]);
        }

        BenchSettings settings;
        try
        {
            settings = BenchSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var dir = Directory.CreateTempSubdirectory("kwbench-").FullName;
        try
        {
            var report = await RunAsync(settings, dir);
            Console.WriteLine(report);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> RunAsync(BenchSettings s, string dir)
    {
        string? rawPg = null, serverPg = null;
        if (s.Postgres)
        {
            var pg = await ThrowawayPostgres.SharedAsync();
            rawPg = await pg.CreateDatabaseAsync("kwraw");
            serverPg = await pg.CreateDatabaseAsync("kwbench");
        }

        var report = new Report(s);
        var configMap = ConfigMapJson("raw-0");
        Step("raw engine inserts");
        FlushDisks();
        var (rawSingle, rawBatched) = await RawInsertBench.RunAsync(s, dir, rawPg, configMap);
        report.Raw(rawSingle, rawBatched);

        Step("starting the server");
        var settings = new ServerSettings
        {
            DataDir = Path.Combine(dir, "server"),
            HttpsPort = 0,
            BindAddress = IPAddress.Loopback,
            DatastoreEndpoint = serverPg,
        };
        await using var server = await ServerHost.StartAsync(settings, l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Critical).AddSimpleConsole());
        using var api = new ApiLoad(server.Url, server.AdminToken, s.Clients, await File.ReadAllTextAsync(Path.Combine(settings.DataDir, "tls", "ca.crt")));
        await WaitReadyAsync(api);
        await Task.Delay(TimeSpan.FromSeconds(2));
        report.Rss("idle after start", Rss());

        await api.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}""");
        const string ConfigMaps = "/api/v1/namespaces/bench/configmaps";

        Step("creates, 1 client");
        var serial = await ApiLoad.RunAsync(1, s.SerialCreates, s.PhaseLimit, i => api.PostAsync(ConfigMaps, ConfigMapJson($"one-{i}")));
        report.Creates("1 client", serial, rawSingle, "single-row");

        Step($"creates, {s.Clients} clients");
        var concurrent = await ApiLoad.RunAsync(s.Clients, s.ConcurrentCreates, s.PhaseLimit, i => api.PostAsync(ConfigMaps, ConfigMapJson($"many-{i}")));
        report.Creates($"{s.Clients} clients", concurrent, rawBatched, "batched");

        Step($"{s.Pods} pods");
        const string Pods = "/api/v1/namespaces/bench/pods";
        var pods = await ApiLoad.RunAsync(s.Clients, s.Pods, TimeSpan.FromTicks(s.PhaseLimit.Ticks * 4), i => api.PostAsync(Pods, PodJson(i)));
        report.Latency($"create pod ({s.Clients} clients, {pods.Count} pods, {pods.PerSecond:F0}/s)", pods);

        var gets = await ApiLoad.RunAsync(1, s.Gets, s.PhaseLimit, i => api.GetAsync($"{Pods}/pod-{i * 7919 % pods.Count}", "Pod"));
        report.Latency("get pod (1 client)", gets);

        long bytes = 0;
        var lists = await ApiLoad.RunAsync(1, s.Lists, s.PhaseLimit, async _ => bytes = await api.GetAsync(Pods, "PodList"));
        report.Latency($"list {pods.Count} pods, JSON ({bytes / 1024.0:F0} KiB)", lists);

        var tables = await ApiLoad.RunAsync(1, s.Lists, s.PhaseLimit, async _ => bytes = await api.GetAsync(Pods, "Table", ApiLoad.TableAccept));
        report.Latency($"list {pods.Count} pods, Table ({bytes / 1024.0:F0} KiB)", tables);

        report.Rss("after the load", Rss());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        report.Rss("after the load, after a full GC", Rss());
        return report.Render();
    }

    private static async Task WaitReadyAsync(ApiLoad api)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await api.GetAsync("/api/v1/namespaces/default", "Namespace");
                return;
            }
            catch (Exception) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Writes out dirty pages left by the build so they do not land in the fsync-bound measurements.</summary>
    private static void FlushDisks()
    {
        using var sync = System.Diagnostics.Process.Start("sync");
        sync.WaitForExit();
    }

    private static void Step(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

    /// <summary>Resident set of this process (server and benchmark client together), in MiB.</summary>
    private static double Rss()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static string ConfigMapJson(string name) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{"app":"bench"}},"data":{"config.yaml":"{{{new string('x', 512)}}}"}}""";

    private static string PodJson(int i) =>
        $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-{{{{i}}}}","labels":{"app":"bench","shard":"{{{{i % 10}}}}"}},"spec":{"containers":[{"name":"app","image":"registry.local/bench:1.0","ports":[{"containerPort":8080}],"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}""";
}
