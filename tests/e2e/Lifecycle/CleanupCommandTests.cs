using System.Diagnostics;
using System.Net.Sockets;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Lifecycle;

/// <summary>
/// <c>kubeweb cleanup</c> as an operator runs it after stopping a server: what the node left on the
/// host goes (here a CNI bridge and IP allocations made to look like a stopped server's), and a
/// data folder whose containerd still answers is refused.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CleanupCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cleanup_RemovesTheBridgeAndIpAllocations_OfAStoppedDataFolder()
    {
        var dir = Directory.CreateTempSubdirectory("kwcleanup-").FullName;
        var config = new ContainerdConfig(Path.Combine(dir, "containerd"), ImageImporter.PauseImage);
        try
        {
            await RunAsync("ip", "link", "add", config.BridgeName, "type", "bridge");
            Directory.CreateDirectory(config.CniIpamDir);
            await File.WriteAllTextAsync(Path.Combine(config.CniIpamDir, "10.244.0.2"), "container-id");
            Assert.True(Directory.Exists($"/sys/class/net/{config.BridgeName}"));

            var (code, text) = await KubewebAsync("cleanup", "--data-dir", dir, "--cgroup-root", "/kubeweb-cleanup-test");

            Assert.Equal(0, code);
            Assert.Contains($"bridge {config.BridgeName}", text, StringComparison.Ordinal);
            Assert.False(Directory.Exists($"/sys/class/net/{config.BridgeName}"), "the bridge should be gone");
            Assert.False(Directory.Exists(config.CniIpamDir), "the IP allocations should be gone");
            Assert.True(Directory.Exists(dir), "the data folder stays");
        }
        finally
        {
            await RemoveAsync(config.BridgeName);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Cleanup_RefusesAFolderWhoseContainerdStillAnswers()
    {
        var dir = Directory.CreateTempSubdirectory("kwcleanup-").FullName;
        var config = new ContainerdConfig(Path.Combine(dir, "containerd"), ImageImporter.PauseImage);
        Directory.CreateDirectory(config.Dir);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(config.SocketPath));
            listener.Listen(1);
            await RunAsync("ip", "link", "add", config.BridgeName, "type", "bridge");

            var (code, text) = await KubewebAsync("cleanup", "--data-dir", dir, "--cgroup-root", "/kubeweb-cleanup-test");

            Assert.Equal(1, code);
            Assert.Contains("still answers", text, StringComparison.Ordinal);
            Assert.True(Directory.Exists($"/sys/class/net/{config.BridgeName}"), "nothing is removed from a running node");
        }
        finally
        {
            listener.Close();
            await RemoveAsync(config.BridgeName);
            Directory.Delete(dir, recursive: true);
        }
    }

    private Task<(int Code, string Output)> KubewebAsync(params string[] args) => KubewebCli.RunAsync(output, args);

    private static async Task RemoveAsync(string bridge)
    {
        if (Directory.Exists($"/sys/class/net/{bridge}"))
        {
            await RunAsync("ip", "link", "delete", bridge);
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
