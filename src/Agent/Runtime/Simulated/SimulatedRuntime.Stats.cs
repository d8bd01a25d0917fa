using KubeWeb.Agent.Stats;

namespace KubeWeb.Agent.Runtime.Simulated;

public sealed partial class SimulatedRuntime
{
    /// <summary>Synthetic usage of every running container (<see cref="SyntheticUsage"/>) and of the node as their sum plus a base.</summary>
    public Task<StatsSample> SampleAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var containers = new List<ContainerSample>();
        lock (_lock)
        {
            foreach (var sim in _pods.Values)
            {
                if (sim.StoppedAt is not null)
                {
                    continue;
                }

                foreach (var c in sim.Containers)
                {
                    if (c is not { IsInit: false, State: ContainerState.Running, StartedAt: { } started } || !sim.Requests.TryGetValue(c.Name, out var requests))
                    {
                        continue;
                    }

                    var (cpu, memory) = SyntheticUsage.At(sim.Uid, c.Name, requests, now);
                    var seconds = Math.Max(0, (now - started).TotalSeconds);
                    containers.Add(new ContainerSample(sim.Uid, sim.Namespace, sim.Name, c.Name, c.Id, now, (ulong)(cpu * seconds), memory, cpu));
                }
            }
        }

        var nodeCpu = (ulong)SyntheticUsage.NodeBaseNanoCores + containers.Aggregate(0UL, (sum, c) => sum + c.CpuNanoCores!.Value);
        var nodeMemory = (ulong)SyntheticUsage.NodeBaseMemoryBytes + containers.Aggregate(0UL, (sum, c) => sum + c.WorkingSetBytes);
        return Task.FromResult(new StatsSample(new NodeSample(now, 0, nodeMemory, nodeCpu), containers));
    }
}
