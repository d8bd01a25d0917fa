using System.Collections.Immutable;
using k8s.Models;

namespace KubeWeb.Controllers.Scheduling.Cache;

/// <summary>
/// An immutable amount of schedulable resources (upstream's framework.Resource): cpu in
/// millicores, memory and ephemeral storage in bytes, and every other resource name (extended
/// resources, hugepages) as a scalar. Parsed once per pod or node, then only added and compared.
/// </summary>
internal sealed class Resources
{
    public static readonly Resources Zero = new(0, 0, 0, ImmutableDictionary<string, long>.Empty);

    public Resources(long milliCpu, long memory, long ephemeralStorage, ImmutableDictionary<string, long> scalars)
    {
        MilliCpu = milliCpu;
        Memory = memory;
        EphemeralStorage = ephemeralStorage;
        Scalars = scalars;
    }

    public long MilliCpu { get; }

    public long Memory { get; }

    public long EphemeralStorage { get; }

    /// <summary>Extended resources and hugepages, by resource name.</summary>
    public ImmutableDictionary<string, long> Scalars { get; }

    public long Scalar(string name) => Scalars.TryGetValue(name, out var v) ? v : 0;

    public Resources Add(Resources other) => Combine(other, 1);

    public Resources Subtract(Resources other) => Combine(other, -1);

    /// <summary>The larger of each resource (the init-container rule).</summary>
    public Resources Max(Resources other)
    {
        var scalars = Scalars;
        foreach (var (k, v) in other.Scalars)
        {
            if (v > scalars.GetValueOrDefault(k))
            {
                scalars = scalars.SetItem(k, v);
            }
        }

        return new Resources(Math.Max(MilliCpu, other.MilliCpu), Math.Max(Memory, other.Memory),
            Math.Max(EphemeralStorage, other.EphemeralStorage), scalars);
    }

    public bool IsZero => MilliCpu == 0 && Memory == 0 && EphemeralStorage == 0 && Scalars.Values.All(v => v == 0);

    /// <summary>Reads a resource list (allocatable, requests); <c>pods</c> is not a resource here.</summary>
    public static Resources From(IDictionary<string, ResourceQuantity>? list)
    {
        if (list is null || list.Count == 0)
        {
            return Zero;
        }

        long cpu = 0, memory = 0, storage = 0;
        var scalars = ImmutableDictionary<string, long>.Empty;
        foreach (var (name, q) in list)
        {
            switch (name)
            {
                case "cpu":
                    cpu = MilliValue(q);
                    break;
                case "memory":
                    memory = Value(q);
                    break;
                case "ephemeral-storage":
                    storage = Value(q);
                    break;
                case "pods":
                    break;
                default:
                    scalars = scalars.SetItem(name, Value(q));
                    break;
            }
        }

        return new Resources(cpu, memory, storage, scalars);
    }

    /// <summary>The allowed pod count from an allocatable list (0 when absent, as upstream).</summary>
    public static int PodCount(IDictionary<string, ResourceQuantity>? list) =>
        list is not null && list.TryGetValue("pods", out var q) ? (int)Math.Min(int.MaxValue, Value(q)) : 0;

    public static long MilliValue(ResourceQuantity? q) => q is null ? 0 : (long)Math.Ceiling(q.ToDecimal() * 1000m);

    public static long Value(ResourceQuantity? q) => q is null ? 0 : (long)Math.Ceiling(q.ToDecimal());

    private Resources Combine(Resources other, int sign)
    {
        var scalars = Scalars;
        foreach (var (k, v) in other.Scalars)
        {
            scalars = scalars.SetItem(k, scalars.GetValueOrDefault(k) + (sign * v));
        }

        return new Resources(MilliCpu + (sign * other.MilliCpu), Memory + (sign * other.Memory),
            EphemeralStorage + (sign * other.EphemeralStorage), scalars);
    }
}
