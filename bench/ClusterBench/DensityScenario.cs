using System.Collections.Concurrent;
using System.Diagnostics;
using KubeWeb.Api.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KubeWeb.Bench.Cluster;

/// <summary>
/// Density: a Deployment scaled (as <c>kubectl scale</c>: PATCH of its scale subresource) to
/// N pods on simulated nodes; time until a pod watch shows all Running; the server's RSS; then
/// ConfigMap update latency while pods are deleted at a steady rate (each replaced by the ReplicaSet).
/// </summary>
internal static class DensityScenario
{
    private const string Deployments = "/apis/apps/v1/namespaces/bench/deployments";
    private const string ConfigMaps = "/api/v1/namespaces/bench/configmaps";

    public static async Task RunAsync(ClusterBenchSettings s, Report report)
    {
        var (nodes, pods) = (s.DensityNodes, s.DensityPods);
        await using var cluster = await BenchCluster.StartAsync("dense", nodes, 16, s);
        var api = cluster.Api;
        await cluster.WaitNodesReadyAsync(nodes, s.Limit);
        var idleRss = Rss.Self();
        await using var watch = await PodWatch.StartAsync(api, "bench");
        await api.PostAsync(Deployments, DeploymentJson(1));
        if (!await watch.WaitAsync(w => w.Running >= 1, s.Limit))
        {
            throw new TimeoutException("the first replica never ran");
        }

        BenchCluster.Log($"scaling to {pods}");
        var clock = Stopwatch.StartNew();
        var (cpu0, agentCpu0, gc0) = (Cpu.Self(), cluster.Agents.CpuSeconds(), GcSnapshot.Take());
        await api.PatchAsync($"{Deployments}/web/scale", $$$"""{"spec":{"replicas":{{{pods}}}}}""");
        var allRunning = await watch.WaitAsync(w => w.Running >= pods, s.Limit);
        var scaleTime = clock.Elapsed;
        var (scaleCpu, scaleAgentCpu) = (Cpu.Self() - cpu0, cluster.Agents.CpuSeconds() - agentCpu0);
        var scaleGc = GcSnapshot.Take().Since(gc0, pods);
        var running = watch.Running;
        var rssAtPods = Rss.Self();
        var heapAtPods = HeapSnapshot.Take();
        var history = cluster.Server.Services.GetRequiredService<ObjectStore>().HistorySize;
        BenchCluster.Log($"{running} running after {scaleTime.TotalSeconds:F1} s; RSS {rssAtPods:F0} MiB");

        // Let status writes and the controllers settle before the latency phases.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var settledRss = Rss.Self();
        var agentRss = cluster.Agents.RssMiB();
        var agentKind = cluster.Agents.Kind;
        for (var i = 0; i < 10; i++)
        {
            await api.PostAsync(ConfigMaps, ConfigMapJson(i, 0));
        }

        BenchCluster.Log("ConfigMap updates, no churn");
        var quiet = await UpdateConfigMapsAsync(api, s.UpdatesPerSecond, TimeSpan.FromSeconds(10), 1);
        BenchCluster.Log($"ConfigMap updates with {s.ChurnPerSecond} pod deletions/s");
        var victims = new Queue<string>(watch.RunningPods().OrderBy(_ => Random.Shared.Next()));
        var churnCount = (int)(s.ChurnPerSecond * s.ChurnDuration.TotalSeconds);
        var deleteErrors = 0;
        var churn = Paced(s.ChurnPerSecond, churnCount, async i =>
        {
            if (victims.TryDequeue(out var victim))
            {
                try
                {
                    await api.DeleteAsync($"/api/v1/namespaces/bench/pods/{victim}");
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref deleteErrors);
                }
            }
        });
        var busy = await UpdateConfigMapsAsync(api, s.UpdatesPerSecond, s.ChurnDuration, 1_000_000);
        await churn;
        clock.Restart();
        var recovered = await watch.WaitAsync(w => w.Running >= pods, s.Limit);
        var recovery = clock.Elapsed;
        var afterRss = Rss.Self();

        report.Table($"Density: {nodes} simulated nodes, a Deployment scaled to {pods} replicas",
            "Server RSS is this process's VmRSS: the server (API, controllers, scheduler, agent hub) plus the bench's own " +
            "HTTP client and one pod watch (a few MiB); the simulated nodes run in a child process whose RSS is shown apart.");
        report.Row($"scale 1 → {pods}: time until all Running (pod watch)", scaleTime.TotalSeconds, "s", 30, atMost: true, "F1");
        report.Row("CPU per 1,000 pods during the scale: server process (+ bench client) / agent process", $"{scaleCpu * 1000 / pods:F2} s / {scaleAgentCpu * 1000 / pods:F2} s");
        report.Row("server process garbage collection during the scale", scaleGc);
        report.Row("pods Running at the end of the wait", $"{running}/{pods}{(allRunning ? "" : " (limit reached)")}");
        report.Row("server RSS: idle with nodes registered", $"{idleRss:F0} MiB");
        report.Row($"server RSS at {pods} Running pods", rssAtPods, "MiB", 600, atMost: true);
        report.Row("server RSS 5 s later", $"{settledRss:F0} MiB");
        report.Row("server GC at the end of the scale (after its last collection)", heapAtPods.ToString());
        report.Row("server GC settings", HeapSnapshot.Settings());
        report.Row("watch cache history in memory at the end of the scale", $"{history.Events} events, {history.Bytes / 1048576.0:F1} MiB encoded");
        report.Row("agent process RSS (simulated nodes, not the server)", $"{agentRss:F0} MiB ({agentKind} agent)");
        report.Row($"ConfigMap PUT latency, no churn ({quiet.Count} at {s.UpdatesPerSecond}/s)", $"p50 {quiet.P50:F1} ms, p99 {quiet.P99:F1} ms");
        report.Row($"ConfigMap PUT p99 during churn ({busy.Count} at {s.UpdatesPerSecond}/s, {s.ChurnPerSecond} pod deletions/s for {s.ChurnDuration.TotalSeconds:F0} s; p50 {busy.P50:F1} ms)",
            busy.P99, "ms", 50, atMost: true, "F1");
        report.Row("churn: deletions sent / failed; back to all Running after", $"{churnCount} / {deleteErrors}; {(recovered ? $"{recovery.TotalSeconds:F1} s" : "not within the limit")}");
        report.Row("server RSS after the churn", $"{afterRss:F0} MiB");
        report.Row("bench requests answered 429 (retried after Retry-After)", $"{api.Throttled}");
    }

    private static async Task<(int Count, double P50, double P99)> UpdateConfigMapsAsync(ApiClient api, int perSecond, TimeSpan duration, int generation)
    {
        var latencies = new ConcurrentBag<double>();
        var count = (int)(perSecond * duration.TotalSeconds);
        await Paced(perSecond, count, async i =>
        {
            var start = Stopwatch.GetTimestamp();
            await api.PutAsync($"{ConfigMaps}/cm-{i % 10}", ConfigMapJson(i % 10, generation + i));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        });
        var list = latencies.ToList();
        return (list.Count, Percentiles.Of(list, 0.5), Percentiles.Of(list, 0.99));
    }

    /// <summary>Open loop: starts op i at i/rate seconds whether or not earlier ones finished, then waits for all.</summary>
    private static async Task Paced(int perSecond, int count, Func<int, Task> op)
    {
        var sw = Stopwatch.StartNew();
        var running = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - sw.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var n = i;
            running.Add(Task.Run(() => op(n)));
        }

        await Task.WhenAll(running);
    }

    private static string DeploymentJson(int replicas) =>
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"web","image":"registry.local/web:1.0","resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static string ConfigMapJson(int i, int generation) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-{{{i}}}"},"data":{"generation":"{{{generation}}}","config.yaml":"{{{new string('x', 512)}}}"}}""";
}
