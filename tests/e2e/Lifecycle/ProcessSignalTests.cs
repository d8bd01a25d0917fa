using Xunit.Abstractions;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KubeWeb.E2E.Lifecycle;

/// <summary>
/// The real <c>kubeweb server</c> process and the signals a process manager sends: a SIGTERM that
/// arrives twice (systemd and <c>dotnet run</c> both forwarding it, or an impatient operator) still
/// stops it cleanly, with exit code 0 and no crash, instead of dying midway and leaving host state
/// behind.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ProcessSignalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RepeatedSigterm_StopsTheServerCleanly()
    {
        var dir = Directory.CreateTempSubdirectory("kwsignal-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "kubeweb")) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "server", "--data-dir", dir, "--https-listen-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--disable-agent" })
            {
                psi.ArgumentList.Add(a);
            }

            using var server = Process.Start(psi)!;
            var stdout = server.StandardOutput.ReadToEndAsync();
            var stderr = server.StandardError.ReadToEndAsync();
            var kubeconfig = Path.Combine(dir, "kubeconfig.yaml");
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!File.Exists(kubeconfig) && !server.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.True(File.Exists(kubeconfig), "the server never wrote its kubeconfig");
            // Let the controller manager's informers start watching, so the stop has watches to end.
            await Task.Delay(3000);
            // The second one arrives while the first is being handled (signals sent together merge).
            await SignalAsync(server.Id);
            await Task.Delay(100);
            await SignalAsync(server.Id);

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(cts.Token);
            var text = await stdout + await stderr;
            output.WriteLine(text);
            Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
            // The controller manager stops before the API does: its watches end quietly, not as failures.
            Assert.DoesNotContain("Watch of", text, StringComparison.Ordinal);
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task SignalAsync(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        await kill.WaitForExitAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
