using System.Diagnostics;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>Runs the real <c>kubeweb</c> CLI built beside the tests.</summary>
public static class KubewebCli
{
    /// <summary>Runs <c>kubeweb ARGS</c> to its end (at most 2 minutes); the exit code and stdout + stderr, also written to the test output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(ITestOutputHelper output, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "kubeweb")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"$ kubeweb {string.Join(' ', args)}\n{text}");
        return (process.ExitCode, text);
    }
}
