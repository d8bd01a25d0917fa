using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace KubeWeb.Agent.Node;

/// <summary>What the machine the agent runs on looks like, read once.</summary>
public static class HostFacts
{
    public static string Architecture { get; } = RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static string KernelVersion { get; } = ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString();

    public static string OsImage { get; } = ReadOsImage();

    public static string MachineId { get; } = ReadFirstLine("/etc/machine-id") ?? "";

    /// <summary>The node name the kubelet would pick: the lower-cased host name.</summary>
    public static string NodeName => Dns.GetHostName().ToLowerInvariant();

    /// <summary>cpu, memory (minus the kubelet's 100Mi eviction threshold for allocatable), pods, ephemeral-storage.</summary>
    public static (Dictionary<string, string> Capacity, Dictionary<string, string> Allocatable) Resources(string dataDir)
    {
        var memKi = MemTotalKi();
        var storage = 0L;
        try
        {
            storage = new DriveInfo(Directory.Exists(dataDir) ? dataDir : "/").TotalSize;
        }
        catch (IOException)
        {
        }

        var capacity = new Dictionary<string, string>
        {
            ["cpu"] = Environment.ProcessorCount.ToString(),
            ["memory"] = $"{memKi}Ki",
            ["pods"] = "110",
            ["ephemeral-storage"] = $"{storage / 1024}Ki",
            ["hugepages-1Gi"] = "0",
            ["hugepages-2Mi"] = "0",
        };
        var allocatable = new Dictionary<string, string>(capacity)
        {
            ["memory"] = $"{Math.Max(0, memKi - (100 * 1024))}Ki",
            ["ephemeral-storage"] = $"{storage * 9 / 10}",
        };
        return (capacity, allocatable);
    }

    /// <summary>The first non-loopback IPv4 address of an interface that is up; 127.0.0.1 otherwise.</summary>
    public static string PrimaryIp()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                if (a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address))
                {
                    return a.Address.ToString();
                }
            }
        }

        return "127.0.0.1";
    }

    private static long MemTotalKi()
    {
        foreach (var line in File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo") : [])
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal) &&
                long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), out var kb))
            {
                return kb;
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024;
    }

    private static string ReadOsImage()
    {
        foreach (var line in File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release") : [])
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim('"');
            }
        }

        return RuntimeInformation.OSDescription;
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
