using System.Diagnostics;
using System.Net;
using KubeWeb.Api.Agents;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Bench.Cluster;

/// <summary>
/// The real server (API, controller manager, scheduler, agent hub) in this process on a loopback
/// port with a temp SQLite data dir, and N simulated nodes in an <see cref="AgentProcess"/>.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly string _dir;

    private BenchCluster(string dir, ServerHost server, ApiClient api, AgentProcess agents)
    {
        _dir = dir;
        Server = server;
        Api = api;
        Agents = agents;
    }

    public ServerHost Server { get; }

    public ApiClient Api { get; }

    public AgentProcess Agents { get; }

    public TimeSpan AgentsRegistered { get; private set; }

    public static async Task<BenchCluster> StartAsync(string prefix, int nodes, int connections, ClusterBenchSettings s)
    {
        var dir = Directory.CreateTempSubdirectory("kw-clusterbench-").FullName;
        var dataDir = Path.Combine(dir, "data");
        Log($"starting the server ({dir})");
        var server = await ServerHost.StartAsync(new ServerSettings { DataDir = dataDir, HttpsPort = 0, BindAddress = IPAddress.Loopback, DisableApiSocket = !s.ApiSocket }, l => l
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Critical)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        // The default /16 holds 256 node /24s (as k3s's); 1,000 simulated nodes need a wider range.
        server.Services.GetRequiredService<AgentHubOptions>().ClusterCidr = "10.64.0.0/12";
        var caFile = Path.Combine(dataDir, "tls", "ca.crt");
        var api = new ApiClient(server.Url, server.AdminToken, await File.ReadAllTextAsync(caFile), connections);
        await WaitReadyAsync(api);
        Log($"starting {nodes} simulated nodes");
        var sw = Stopwatch.StartNew();
        var agents = await AgentProcess.StartAsync(server.Url, server.NodeTokenPath, caFile, prefix, nodes, s.StartDelay, s.Limit, s.AgentBinary, Path.Combine(dir, "agent"));
        var cluster = new BenchCluster(dir, server, api, agents);
        await cluster.WaitNodesReadyAsync(nodes, s.Limit);
        var registered = sw.Elapsed;
        Log($"{nodes} nodes ({agents.Kind} agent) registered and Ready in {registered.TotalSeconds:F1} s");
        await api.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}""");
        cluster.AgentsRegistered = registered;
        return cluster;
    }

    /// <summary>Waits until the scheduler's informer has every node Ready, by listing nodes through the API.</summary>
    public async Task WaitNodesReadyAsync(int count, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit)
        {
            var body = await Api.GetAsync("/api/v1/nodes");
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var ready = doc.RootElement.GetProperty("items").EnumerateArray().Count(n =>
                n.GetProperty("status").TryGetProperty("conditions", out var cs)
                && cs.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True"));
            if (ready >= count)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{count} nodes not Ready within {limit}");
    }

    public static void Log(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

    private static async Task WaitReadyAsync(ApiClient api)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await api.GetAsync("/api/v1/namespaces/default");
                return;
            }
            catch (Exception) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Agents.DisposeAsync();
        Api.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
