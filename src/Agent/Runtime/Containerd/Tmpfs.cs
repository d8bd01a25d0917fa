using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// tmpfs mounts for pod volumes, as the kubelet makes them: emptyDir with <c>medium: Memory</c>
/// (its sizeLimit as the size), and secret and projected volumes (so credentials never touch the
/// disk). Mounted on the host under the pod's folder, then bind-mounted into containers by
/// containerd; <see cref="UnmountUnder"/> removes them before the pod folder goes.
/// </summary>
internal static partial class Tmpfs
{
    private const ulong MsNoSuid = 2;
    private const ulong MsNoDev = 4;
    private const int MntDetach = 2;

    /// <summary>Mounts a tmpfs at <paramref name="path"/> unless one is already there.</summary>
    /// <exception cref="IOException">mount(2) failed (not root, no such file system...).</exception>
    public static void Ensure(string path, long? sizeBytes, int mode = 0b111_111_111)
    {
        Directory.CreateDirectory(path);
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (MountPoints().Contains(full))
        {
            return;
        }

        var options = $"mode={Convert.ToString(mode, 8)}" + (sizeBytes is > 0 ? $",size={sizeBytes.Value.ToString(CultureInfo.InvariantCulture)}" : "");
        if (Mount("tmpfs", full, "tmpfs", MsNoSuid | MsNoDev, options) != 0)
        {
            throw new IOException($"mount tmpfs at {full} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Lazily unmounts every mount at or below <paramref name="root"/>, deepest first; returns how many.</summary>
    public static int UnmountUnder(string root)
    {
        var prefix = Path.GetFullPath(root).TrimEnd('/');
        var count = 0;
        foreach (var point in MountPoints().Where(p => p == prefix || p.StartsWith(prefix + "/", StringComparison.Ordinal)).OrderByDescending(p => p.Length))
        {
            if (Umount2(point, MntDetach) == 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Mount points of this process's mount namespace (field 5 of /proc/self/mountinfo, octal escapes decoded).</summary>
    public static HashSet<string> MountPoints()
    {
        var points = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists("/proc/self/mountinfo"))
        {
            return points;
        }

        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4)
            {
                points.Add(Unescape(fields[4]));
            }
        }

        return points;
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s.AsSpan(i + 1, 3).ToString().All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    [DllImport("libc", EntryPoint = "mount", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mount(string source, string target, string fsType, ulong flags, string data);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Umount2(string target, int flags);
}
