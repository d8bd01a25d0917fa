using System.Globalization;

namespace KubeWeb.Agent.Stats;

/// <summary>
/// The host's own usage from <c>/proc</c>: CPU time of every non-idle state across all CPUs
/// (<c>/proc/stat</c>: user, nice, system, irq, softirq, steal; guest time is already in user) and
/// memory in use (<c>MemTotal - MemAvailable</c> from <c>/proc/meminfo</c>), the node-level figures
/// <c>kubectl top node</c> shows.
/// </summary>
public static class HostUsage
{
    /// <summary>Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream architecture.</summary>
    private const ulong NanosPerTick = 10_000_000;

    public static NodeSample Read(DateTime now) =>
        new(now, CpuNanoSeconds(File.ReadAllText("/proc/stat")), WorkingSetBytes(File.ReadAllText("/proc/meminfo")));

    /// <summary>Cumulative busy CPU time in nanoseconds from the aggregate <c>cpu</c> line.</summary>
    /// <exception cref="FormatException">No aggregate line.</exception>
    public static ulong CpuNanoSeconds(string procStat)
    {
        foreach (var line in procStat.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("cpu "))
            {
                continue;
            }

            var fields = line[4..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ulong Field(int i) => i < fields.Length ? ulong.Parse(fields[i], CultureInfo.InvariantCulture) : 0;

            // user nice system idle iowait irq softirq steal
            var busy = Field(0) + Field(1) + Field(2) + Field(5) + Field(6) + Field(7);
            return busy * NanosPerTick;
        }

        throw new FormatException("/proc/stat has no aggregate cpu line");
    }

    /// <summary>Bytes in use: <c>MemTotal - MemAvailable</c>.</summary>
    /// <exception cref="FormatException">Either field is missing.</exception>
    public static ulong WorkingSetBytes(string procMeminfo)
    {
        ulong? total = null, available = null;
        foreach (var line in procMeminfo.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("MemTotal:"))
            {
                total = Kilobytes(line["MemTotal:".Length..]);
            }
            else if (line.StartsWith("MemAvailable:"))
            {
                available = Kilobytes(line["MemAvailable:".Length..]);
            }
        }

        if (total is not { } t || available is not { } a)
        {
            throw new FormatException("/proc/meminfo lacks MemTotal or MemAvailable");
        }

        return (t > a ? t - a : 0) * 1024;
    }

    private static ulong Kilobytes(ReadOnlySpan<char> value)
    {
        var text = value.Trim();
        if (text.EndsWith("kB"))
        {
            text = text[..^2].TrimEnd();
        }

        return ulong.Parse(text, CultureInfo.InvariantCulture);
    }
}
