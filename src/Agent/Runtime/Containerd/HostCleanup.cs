using System.Diagnostics;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Undoes what a private containerd and its pods left on the host, once containerd is stopped:
/// shims of its socket (killed by PID), mounts under its folder, its CNI bridge and IPAM state,
/// and the agent's cgroup root. Touches nothing that belongs to another containerd.
/// </summary>
public static class HostCleanup
{
    public static async Task RunAsync(ContainerdConfig config, string cgroupRoot, string cgroupFsRoot = "/sys/fs/cgroup")
    {
        KillShims(config.SocketPath);
        await UnmountUnderAsync(config.Dir);
        if (Directory.Exists($"/sys/class/net/{config.BridgeName}"))
        {
            await RunAsync("ip", "link", "delete", config.BridgeName);
        }

        if (Directory.Exists(config.CniIpamDir))
        {
            Directory.Delete(config.CniIpamDir, recursive: true);
        }

        // The root itself goes too (pods' folders are removed by the runtime when they are removed).
        foreach (var dir in PodCgroups.Existing(cgroupFsRoot, cgroupRoot))
        {
            try
            {
                foreach (var child in Directory.GetDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
                {
                    TryRmdir(child);
                }
            }
            catch (DirectoryNotFoundException)
            {
            }

            TryRmdir(dir);
        }
    }

    /// <summary>Shims started by this containerd carry <c>-address SOCKET</c> on their command line.</summary>
    private static void KillShims(string socket)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            var address = Array.IndexOf(args, "-address");
            if (args[0].Contains("containerd-shim", StringComparison.Ordinal) && address >= 0 && address + 1 < args.Length && args[address + 1] == socket)
            {
                try
                {
                    using var p = Process.GetProcessById(pid);
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
                catch (ArgumentException)
                {
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    private static async Task UnmountUnderAsync(string dir)
    {
        var prefix = dir.TrimEnd('/') + "/";
        var mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(m => m.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(m => m.Length)
            .ToList();
        foreach (var m in mounts)
        {
            await RunAsync("umount", "-l", m);
        }
    }

    private static void TryRmdir(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: false);
        }
        catch (IOException)
        {
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi);
        if (p is not null)
        {
            await p.WaitForExitAsync();
        }
    }
}
