using System.Globalization;
using k8s.Models;

namespace KubeWeb.Web.Metrics;

/// <summary>One reading: CPU in cores and memory in bytes, at the time metrics-server says it was taken.</summary>
public readonly record struct UsageSample(DateTimeOffset At, double CpuCores, double MemoryBytes)
{
    public double Value(UsageMetric metric) => metric == UsageMetric.Cpu ? CpuCores : MemoryBytes;

    /// <summary>From a metrics.k8s.io <c>usage</c> map (<c>cpu: 250m</c> or <c>12345678n</c>, <c>memory: 64Mi</c>).</summary>
    public static UsageSample From(DateTimeOffset at, IDictionary<string, ResourceQuantity>? usage) =>
        new(at, Quantity(usage, "cpu"), Quantity(usage, "memory"));

    public static UsageSample operator +(UsageSample a, UsageSample b) => new(a.At > b.At ? a.At : b.At, a.CpuCores + b.CpuCores, a.MemoryBytes + b.MemoryBytes);

    private static double Quantity(IDictionary<string, ResourceQuantity>? usage, string name) =>
        usage is not null && usage.TryGetValue(name, out var q) && q is not null ? (double)q.ToDecimal() : 0;
}

public enum UsageMetric
{
    Cpu,
    Memory,
}

/// <summary>Figures as kubectl top prints them: CPU in millicores, memory in Mi (Gi past 10 Gi).</summary>
public static class UsageFormat
{
    public static string Cpu(double cores) => cores >= 10
        ? cores.ToString("0.#", CultureInfo.InvariantCulture)
        : $"{Math.Round(cores * 1000).ToString(CultureInfo.InvariantCulture)}m";

    public static string Memory(double bytes) => bytes >= 10L * 1024 * 1024 * 1024
        ? $"{(bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)}Gi"
        : $"{Math.Round(bytes / (1024.0 * 1024)).ToString(CultureInfo.InvariantCulture)}Mi";

    public static string Of(UsageMetric metric, double value) => metric == UsageMetric.Cpu ? Cpu(value) : Memory(value);

    /// <summary>Percent of a capacity, or null when the capacity is unknown.</summary>
    public static string? Percent(double used, double? capacity) =>
        capacity is > 0 ? $"{Math.Round(used / capacity.Value * 100).ToString(CultureInfo.InvariantCulture)}%" : null;
}
