using System.Globalization;
using KubeWeb.Bench.Scheduling;

// Scheduler throughput without the API: 1,000 in-memory nodes, 10,000 pods through the full
// scheduling cycle (queue, snapshot, filters, scores, assume) with a binder that does nothing.
// Usage: SchedulerBench [nodes] [pods]
var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var pods = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;

Console.WriteLine($"scheduler bench: {nodes} nodes, {pods} pods, {Environment.ProcessorCount} cpus");
Report("warm-up", SchedulerWorkload.Run(nodes, Math.Min(pods, 2000)), Math.Min(pods, 2000));
Report("replicasets (100 pods per owner)", SchedulerWorkload.Run(nodes, pods), pods);
Report("1 in 10 pods with hostname anti-affinity", SchedulerWorkload.Run(nodes, pods, antiAffinityEvery: 10), pods);

static void Report(string name, SchedulerRun run, int podCount) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-45} bound {run.Bound,6}/{podCount} in {run.Elapsed.TotalSeconds,6:F2} s (enqueue {run.Enqueued.TotalMilliseconds:F0} ms): {run.PodsPerSecond,8:F0} pods/s"));
