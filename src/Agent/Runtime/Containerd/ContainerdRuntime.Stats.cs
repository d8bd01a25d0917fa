using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Stats;
using CriState = KubeWeb.Agent.Cri.V1.ContainerState;

namespace KubeWeb.Agent.Runtime.Containerd;

public sealed partial class ContainerdRuntime : IStatsSource
{
    /// <summary>
    /// CRI ListContainerStats for the running containers this agent manages, with the container's
    /// cgroup as the fallback for a figure the runtime leaves out; the node from <c>/proc</c>.
    /// </summary>
    public async Task<StatsSample> SampleAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var running = new ListContainersRequest { Filter = new ContainerFilter { State = new ContainerStateValue { State = CriState.ContainerRunning } } };
        running.Filter.LabelSelector[CriLabels.Managed] = "true";
        var statsRequest = new ListContainerStatsRequest { Filter = new ContainerStatsFilter() };
        statsRequest.Filter.LabelSelector[CriLabels.Managed] = "true";
        var containersCall = _cri.Runtime.ListContainersAsync(running, cancellationToken: ct);
        var statsCall = _cri.Runtime.ListContainerStatsAsync(statsRequest, cancellationToken: ct);
        var containers = (await containersCall).Containers.Where(c => c.Labels.GetValueOrDefault(CriLabels.InitContainer) != "true").ToList();
        var stats = (await statsCall).Stats.ToDictionary(s => s.Attributes.Id, StringComparer.Ordinal);

        var samples = new List<ContainerSample>(containers.Count);
        foreach (var c in containers)
        {
            var uid = c.Labels.GetValueOrDefault(CriLabels.PodUid);
            if (uid is null)
            {
                continue;
            }

            stats.TryGetValue(c.Id, out var s);
            ulong? cpu = s?.Cpu?.UsageCoreNanoSeconds?.Value;
            ulong? memory = s?.Memory?.WorkingSetBytes?.Value;
            if (cpu is null || memory is null)
            {
                var cgroup = CgroupUsage.Read(_options.CgroupFsRoot, $"{SandboxConfigFactory.CgroupParent(_options, uid)}/{c.Id}");
                cpu ??= cgroup.CpuNanoSeconds;
                memory ??= cgroup.WorkingSetBytes;
            }

            if (cpu is null || memory is null)
            {
                continue;
            }

            var at = s?.Cpu is { Timestamp: > 0 } t ? DateTime.UnixEpoch.AddTicks(t.Timestamp / 100) : now;
            samples.Add(new ContainerSample(
                uid,
                c.Labels.GetValueOrDefault(CriLabels.PodNamespace) ?? "",
                c.Labels.GetValueOrDefault(CriLabels.PodName) ?? "",
                c.Labels.GetValueOrDefault(CriLabels.ContainerName) ?? c.Metadata.Name,
                c.Id,
                at,
                cpu.Value,
                memory.Value));
        }

        return new StatsSample(HostUsage.Read(now), samples);
    }
}
