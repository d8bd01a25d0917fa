using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace KubeWeb.Agent.Runtime.Simulated;

/// <summary>
/// Plausible usage for simulated containers, so <c>kubectl top</c> and the console's charts have
/// something to show: a fixed share of the container's request (its limit, or a small default
/// without either), chosen per container by a hash of pod uid and name so it is stable across
/// samples and agent restarts, with a gentle five-minute wave (±10%) so charts are not flat lines.
/// </summary>
internal static class SyntheticUsage
{
    private const long DefaultMilliCpu = 50;
    private const long DefaultMemoryBytes = 32L << 20;
    private static readonly TimeSpan WavePeriod = TimeSpan.FromMinutes(5);

    /// <summary>Base usage of a simulated node itself (system daemons), before its pods.</summary>
    public const long NodeBaseNanoCores = 250_000_000;
    public const long NodeBaseMemoryBytes = 1536L << 20;

    public static (long MilliCpu, long MemoryBytes) Requests(V1Container container)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        var cpu = Quantity(requests, "cpu", 1000) ?? Quantity(limits, "cpu", 1000) ?? DefaultMilliCpu;
        var memory = Quantity(requests, "memory", 1) ?? Quantity(limits, "memory", 1) ?? DefaultMemoryBytes;
        return (Math.Max(cpu, 1), Math.Max(memory, 1 << 20));
    }

    /// <summary>CPU in nanocores and memory in bytes for one container at <paramref name="now"/>.</summary>
    public static (ulong NanoCores, ulong MemoryBytes) At(string podUid, string container, (long MilliCpu, long MemoryBytes) requests, DateTime now)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{podUid}/{container}"));
        var cpuShare = 0.1 + (0.5 * hash[0] / 255.0);
        var memoryShare = 0.3 + (0.5 * hash[1] / 255.0);
        var phase = 2 * Math.PI * hash[2] / 255.0;
        var wave = 1 + (0.1 * Math.Sin((2 * Math.PI * now.Ticks / WavePeriod.Ticks) + phase));
        var nanoCores = requests.MilliCpu * 1_000_000 * cpuShare * wave;
        var memory = requests.MemoryBytes * memoryShare * (1 + ((wave - 1) / 2));
        return ((ulong)Math.Max(1, nanoCores), (ulong)Math.Max(4096, memory));
    }

    private static long? Quantity(IDictionary<string, ResourceQuantity>? values, string name, int scale) =>
        values is not null && values.TryGetValue(name, out var q) && q is not null
            ? (long)Math.Ceiling(q.ToDecimal() * scale)
            : null;
}
