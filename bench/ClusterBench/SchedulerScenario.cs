using System.Diagnostics;
using System.Globalization;
using KubeWeb.Bench.Scheduling;

namespace KubeWeb.Bench.Cluster;

/// <summary>
/// Scheduler throughput through the API: N simulated nodes, M bare pods POSTed by concurrent
/// clients, each counted bound when a pod watch first shows its spec.nodeName. Beside it, the
/// same scheduler in memory (no API, no binder) for the ratio.
/// </summary>
internal static class SchedulerScenario
{
    public static async Task RunAsync(ClusterBenchSettings s, Report report)
    {
        var (nodes, pods) = (s.SchedulerNodes, s.SchedulerPods);
        double throughput, createRate, p50, p99, serverRss, agentRss, serverCpu, agentCpu, idleServer, idleAgent, measured;
        int bound, throttled, events, created;
        string gc, agentKind;
        TimeSpan registered;
        await using (var cluster = await BenchCluster.StartAsync("node", nodes, s.Clients, s))
        {
            registered = cluster.AgentsRegistered;
            agentKind = cluster.Agents.Kind;
            await cluster.WaitNodesReadyAsync(nodes, s.Limit);
            if (s.SchedulerInitPods > 0)
            {
                await CreateInitPodsAsync(cluster, s);
            }

            await using var watch = await PodWatch.StartAsync(cluster.Api, "bench");

            // What the nodes cost with no pods moving (leases, heartbeats, usage reports), per second:
            // at a low pod rate it is most of the CPU per pod, so the per-pod figures are also given without it.
            var (idleCpu0, idleAgent0, idleClock) = (Cpu.Self(), cluster.Agents.CpuSeconds(), Stopwatch.StartNew());
            await Task.Delay(s.IdleSample);
            (idleServer, idleAgent) = ((Cpu.Self() - idleCpu0) / idleClock.Elapsed.TotalSeconds, (cluster.Agents.CpuSeconds() - idleAgent0) / idleClock.Elapsed.TotalSeconds);
            BenchCluster.Log($"creating {pods} pods from {s.Clients} clients");
            var started = new long[pods];
            var next = -1;
            created = 0;
            var clock = Stopwatch.StartNew();
            var (cpu0, agentCpu0, gc0) = (Cpu.Self(), cluster.Agents.CpuSeconds(), GcSnapshot.Take());
            var t0 = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, s.Clients).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < pods && clock.Elapsed < s.Limit)
                {
                    started[i] = Stopwatch.GetTimestamp();
                    await cluster.Api.PostAsync("/api/v1/namespaces/bench/pods", PodJson(i));
                    Interlocked.Increment(ref created);
                }
            })));
            var creating = clock.Elapsed;
            createRate = created / creating.TotalSeconds;
            BenchCluster.Log($"created {created} in {creating.TotalSeconds:F1} s; {watch.Bound} bound so far");
            await watch.WaitAsync(w => w.Bound >= created, s.Limit);
            (serverCpu, agentCpu, measured) = (Cpu.Self() - cpu0, cluster.Agents.CpuSeconds() - agentCpu0, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            // Per pod figures divide by the pods created: a run cut short by --limit-seconds still reports honest ones.
            gc = GcSnapshot.Take().Since(gc0, created);
            var times = watch.BoundTimes();
            bound = times.Count;
            var last = times.Max(t => t.BoundAt);
            throughput = bound / Stopwatch.GetElapsedTime(t0, last).TotalSeconds;
            var latencies = times.Select(t => Stopwatch.GetElapsedTime(started[int.Parse(t.Name.AsSpan(4), CultureInfo.InvariantCulture)], t.BoundAt).TotalMilliseconds).ToList();
            p50 = Percentiles.Of(latencies, 0.5);
            p99 = Percentiles.Of(latencies, 0.99);
            BenchCluster.Log($"{bound} bound: {throughput:F0} pods/s");
            serverRss = Rss.Self();
            agentRss = cluster.Agents.RssMiB();
            throttled = cluster.Api.Throttled;
            await Task.Delay(TimeSpan.FromSeconds(3));
            events = watch.Events;
        }

        BenchCluster.Log("in-memory scheduler");
        SchedulerWorkload.Run(nodes, Math.Min(pods, 2000));
        var raw = SchedulerWorkload.Run(nodes, pods).PodsPerSecond;

        report.Table($"Scheduler throughput through the API: {nodes} simulated nodes, {pods} bare pods",
            $"{nodes} nodes = {nodes} live SignalR connections from one agent process (registered in {registered.TotalSeconds:F1} s). " +
            $"Pods are POSTed by {s.Clients} concurrent clients over HTTPS after {s.SchedulerInitPods} init pods (created and bound first, not measured, as upstream's initPods; " +
            "they also warm the process up: JIT tiering of a fresh process shows with --init-pods 1000); " +
            "throughput is pods bound ÷ (first POST → last pod seen bound on a watch). " +
            $"The controller manager and scheduler reach the API over {(s.ApiSocket ? "the server's Unix socket (cleartext HTTP/1.1)" : "loopback HTTPS")}.");
        report.Row("create → bound throughput", throughput, "pods/s", 700, atMost: false);
        report.Row("pods created / bound", $"{created}/{pods} / {bound}");
        report.Row("API create rate alone (POST only)", $"{createRate:F0} pods/s ({throttled} POSTs answered 429 and retried)");
        report.Row("create → bound latency per pod", $"p50 {p50:F0} ms, p99 {p99:F0} ms");
        report.Row("pod watch events per pod (create, bind, agent status writes)", $"{(double)events / created:F1}");
        report.Row("in-memory scheduler (bench/SchedulerBench workload, no API)", $"{raw:F0} pods/s");
        report.Row("through-API ÷ in-memory", $"{throughput / raw:F2}");
        report.Row("CPU per 1,000 pods, create → all bound: server process (+ bench client) / agent process", $"{serverCpu * 1000 / created:F2} s / {agentCpu * 1000 / created:F2} s");
        report.Row("idle nodes, no pods moving (leases, heartbeats, usage reports): CPU s per second, server / agents", $"{idleServer:F2} / {idleAgent:F2}");
        report.Row("CPU per 1,000 pods without that idle cost, server (+ bench client) / agents",
            $"{Math.Max(0, serverCpu - idleServer * measured) * 1000 / created:F2} s / {Math.Max(0, agentCpu - idleAgent * measured) * 1000 / created:F2} s");
        report.Row("server process garbage collection, create → all bound", gc);
        report.Row("RSS: server process (+ bench client) / agent process", $"{serverRss:F0} MiB / {agentRss:F0} MiB");
        report.Row("simulated nodes' agent", agentKind);
    }

    /// <summary>upstream's initPods: created and bound, in their own namespace, before measuring.</summary>
    private static async Task CreateInitPodsAsync(BenchCluster cluster, ClusterBenchSettings s)
    {
        BenchCluster.Log($"creating {s.SchedulerInitPods} init pods (not measured) from {s.Clients} clients");
        await CreateBoundAsync(cluster, s, "bench-init", s.SchedulerInitPods);
    }

    private static async Task CreateBoundAsync(BenchCluster cluster, ClusterBenchSettings s, string ns, int count)
    {
        await cluster.Api.PostAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");
        await using var watch = await PodWatch.StartAsync(cluster.Api, ns);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, s.Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await cluster.Api.PostAsync($"/api/v1/namespaces/{ns}/pods", PodJson(i));
            }
        })));
        await watch.WaitAsync(w => w.Bound >= count, s.Limit);
        BenchCluster.Log($"{watch.Bound} pods bound in {ns}");
    }

    private static string PodJson(int i) =>
        $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-{{{{i:D5}}}}","labels":{"app":"sched-{{{{i / 100}}}}"}},"spec":{"containers":[{"name":"app","image":"registry.local/bench:1.0","resources":{"requests":{"cpu":"100m","memory":"256Mi"}}}]}}""";
}
