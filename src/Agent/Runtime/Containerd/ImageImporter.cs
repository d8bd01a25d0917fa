using System.Diagnostics;
using KubeWeb.Agent.Cri.V1;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Puts OCI archives into containerd's <c>k8s.io</c> namespace with <c>ctr images import</c>, and
/// builds the node's own images (<c>images/build.sh</c>, shipped beside the binaries) when their
/// archives are missing. No registry is involved.
/// </summary>
public static class ImageImporter
{
    /// <summary>The sandbox (pause) image every pod needs.</summary>
    public const string PauseImage = "localhost/kubeweb/pause:1.0";

    public const string BusyboxImage = "localhost/kubeweb/busybox:1.0";

    /// <summary>The archive names <c>images/build.sh</c> writes, with the repository each holds.</summary>
    public static readonly IReadOnlyList<(string File, string Repository, string[] Tags)> LocalImages =
    [
        ("pause.tar", "localhost/kubeweb/pause", ["1.0"]),
        ("busybox.tar", "localhost/kubeweb/busybox", ["1.0", "2.0"]),
    ];

    /// <summary>The build script shipped beside the binaries, or null.</summary>
    public static string? BuildScript => Path.Combine(AppContext.BaseDirectory, "images", "build.sh") is var p && File.Exists(p) ? p : null;

    /// <summary>Runs <c>images/build.sh</c> into <paramref name="outDir"/> unless both archives are there.</summary>
    /// <exception cref="InvalidOperationException">The script is missing or failed (its output is in the message).</exception>
    public static async Task EnsureBuiltAsync(string outDir, CancellationToken ct)
    {
        if (LocalImages.All(i => File.Exists(Path.Combine(outDir, i.File))))
        {
            return;
        }

        var script = BuildScript ?? throw new InvalidOperationException($"the image archives are missing in {outDir} and images/build.sh is not installed beside the binaries");
        var (code, output) = await RunAsync("/bin/bash", [script, outDir], ct);
        if (code != 0)
        {
            throw new InvalidOperationException($"images/build.sh failed (exit code {code}): {output.Trim()}");
        }
    }

    /// <summary>Imports each local image whose every tag is not yet known to containerd.</summary>
    public static async Task ImportMissingAsync(string socketPath, string archiveDir, CancellationToken ct)
    {
        using var cri = new CriClient(socketPath);
        foreach (var (file, repository, tags) in LocalImages)
        {
            var present = true;
            foreach (var tag in tags)
            {
                var status = await cri.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = $"{repository}:{tag}" } }, cancellationToken: ct);
                present &= status.Image is not null;
            }

            if (!present)
            {
                await ImportAsync(socketPath, Path.Combine(archiveDir, file), repository, ct);
            }
        }
    }

    /// <summary>
    /// <c>ctr -a SOCK -n k8s.io images import [--base-name REPO] FILE</c>: an OCI or Docker archive.
    /// Without <paramref name="repository"/> the archive's own names are used (a Docker archive's
    /// RepoTags, an OCI index's full <c>org.opencontainers.image.ref.name</c>). Returns ctr's output.
    /// </summary>
    public static async Task<string> ImportAsync(string socketPath, string archive, string? repository, CancellationToken ct)
    {
        var ctr = ContainerdSupervisor.FindExecutable("ctr") ?? throw new InvalidOperationException("ctr is missing (package containerd)");
        List<string> args = ["-a", socketPath, "-n", "k8s.io", "images", "import"];
        if (repository is { Length: > 0 })
        {
            args.AddRange(["--base-name", repository]);
        }

        args.Add(archive);
        var (code, output) = await RunAsync(ctr, args, ct);
        if (code != 0)
        {
            throw new InvalidOperationException($"importing {archive} failed (exit code {code}): {output.Trim()}");
        }

        return output;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
