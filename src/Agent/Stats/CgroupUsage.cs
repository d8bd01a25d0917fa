using System.Globalization;

namespace KubeWeb.Agent.Stats;

/// <summary>
/// Reads a container's usage straight from its cgroup when the runtime's stats lack it: cgroup v1
/// (<c>cpuacct/…/cpuacct.usage</c>, <c>memory/…/memory.usage_in_bytes</c> minus
/// <c>total_inactive_file</c>) or v2 (<c>cpu.stat usage_usec</c>, <c>memory.current</c> minus
/// <c>inactive_file</c>). The working set is the kubelet's definition: usage minus inactive file pages.
/// </summary>
public static class CgroupUsage
{
    /// <summary>Cumulative CPU nanoseconds and working set bytes; either is null when unreadable.</summary>
    public static (ulong? CpuNanoSeconds, ulong? WorkingSetBytes) Read(string cgroupFsRoot, string cgroupPath)
    {
        var relative = cgroupPath.TrimStart('/');
        var v1Cpu = Path.Combine(cgroupFsRoot, "cpuacct", relative, "cpuacct.usage");
        var v1Cpu2 = Path.Combine(cgroupFsRoot, "cpu,cpuacct", relative, "cpuacct.usage");
        var v1Memory = Path.Combine(cgroupFsRoot, "memory", relative);
        var v2 = Path.Combine(cgroupFsRoot, relative);

        ulong? cpu = ReadNumber(v1Cpu) ?? ReadNumber(v1Cpu2)
            ?? (StatField(Path.Combine(v2, "cpu.stat"), "usage_usec") is { } usec ? usec * 1000 : null);
        ulong? memory = WorkingSet(ReadNumber(Path.Combine(v1Memory, "memory.usage_in_bytes")), StatField(Path.Combine(v1Memory, "memory.stat"), "total_inactive_file"))
            ?? WorkingSet(ReadNumber(Path.Combine(v2, "memory.current")), StatField(Path.Combine(v2, "memory.stat"), "inactive_file"));
        return (cpu, memory);
    }

    /// <summary>Usage minus inactive file pages, never below zero.</summary>
    public static ulong? WorkingSet(ulong? usage, ulong? inactiveFile) =>
        usage is not { } u ? null : inactiveFile is { } i && i < u ? u - i : inactiveFile is null ? u : 0;

    /// <summary>A <c>key value</c> line of a stat file.</summary>
    public static ulong? StatField(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var space = line.IndexOf(' ');
                if (space > 0 && line.AsSpan(0, space).SequenceEqual(key) &&
                    ulong.TryParse(line.AsSpan(space + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static ulong? ReadNumber(string path)
    {
        try
        {
            return ulong.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
