using System.Runtime.InteropServices;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// The kubelet's AtomicWriter: a volume's files live in a timestamped <c>..2006_01_02_15_04_05.x</c>
/// directory, <c>..data</c> is a symlink to it and every top-level name is a symlink through
/// <c>..data</c>. An update writes a new directory and swaps <c>..data</c> with one rename, so a
/// reader sees either the old or the new set of files, never a mix.
/// </summary>
internal static class AtomicWriter
{
    public const string DataLink = "..data";

    /// <summary>One file: its bytes and Unix mode.</summary>
    public readonly record struct FileEntry(byte[] Data, int Mode);

    /// <summary>Writes <paramref name="payload"/> (relative path → file) into <paramref name="dir"/>; false when it was already current.</summary>
    public static bool Write(string dir, IReadOnlyDictionary<string, FileEntry> payload)
    {
        foreach (var path in payload.Keys)
        {
            if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/').Any(s => s is ".." || s.StartsWith("..", StringComparison.Ordinal)))
            {
                throw new ArgumentException($"invalid path {path}: must be relative and may not contain '..'");
            }
        }

        Directory.CreateDirectory(dir);
        var link = Path.Combine(dir, DataLink);
        var old = new FileInfo(link).LinkTarget;
        if (old is not null && Same(Path.Combine(dir, old), payload))
        {
            return false;
        }

        var name = ".." + DateTime.UtcNow.ToString("yyyy_MM_dd_HH_mm_ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
        var target = Path.Combine(dir, name);
        Directory.CreateDirectory(target);
        SetMode(target, 0b111_101_101);
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(target, path);
            var parent = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent);
                SetMode(parent, 0b111_101_101);
            }

            File.WriteAllBytes(full, file.Data);
            SetMode(full, file.Mode);
        }

        var tmp = Path.Combine(dir, "..data_tmp");
        if (new FileInfo(tmp).LinkTarget is not null || File.Exists(tmp))
        {
            File.Delete(tmp);
        }

        File.CreateSymbolicLink(tmp, name);
        if (Rename(tmp, link) != 0)
        {
            throw new IOException($"rename {tmp} → {link} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var top = payload.Keys.Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (!entry.Name.StartsWith("..", StringComparison.Ordinal) && entry.LinkTarget is not null && !top.Contains(entry.Name))
            {
                entry.Delete();
            }
        }

        foreach (var t in top)
        {
            var visible = Path.Combine(dir, t);
            if (new FileInfo(visible).LinkTarget is null)
            {
                File.CreateSymbolicLink(visible, Path.Combine(DataLink, t));
            }
        }

        if (old is not null && old != name && Directory.Exists(Path.Combine(dir, old)))
        {
            Directory.Delete(Path.Combine(dir, old), recursive: true);
        }

        return true;
    }

    private static bool Same(string dir, IReadOnlyDictionary<string, FileEntry> payload)
    {
        if (!Directory.Exists(dir))
        {
            return false;
        }

        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories);
        if (files.Length != payload.Count)
        {
            return false;
        }

        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(dir, path);
            if (!File.Exists(full) || !File.ReadAllBytes(full).AsSpan().SequenceEqual(file.Data)
                || (!OperatingSystem.IsWindows() && (int)File.GetUnixFileMode(full) != (file.Mode & 0b111_111_111)))
            {
                return false;
            }
        }

        return true;
    }

    private static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0b111_111_111));
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Rename(string oldPath, string newPath);
}
