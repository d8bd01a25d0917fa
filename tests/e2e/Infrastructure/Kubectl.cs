using System.Diagnostics;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>
/// Runs the real kubectl 1.32 binary against one server. Each instance has its own HOME and
/// <c>--cache-dir</c>, so discovery and OpenAPI caches never leak between tests. Every command and
/// its output go to the test output, which the TRX file keeps for failed tests.
/// </summary>
public sealed class Kubectl : IDisposable
{
    /// <summary>Overridable with <c>KUBEWEB_KUBECTL</c>; the versioned binary, never the gcloud dispatcher.</summary>
    public static readonly string Binary =
        Environment.GetEnvironmentVariable("KUBEWEB_KUBECTL") is { Length: > 0 } configured
            ? configured
            : "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly string _kubeconfig;
    private readonly ITestOutputHelper? _output;
    private readonly string _home = Directory.CreateTempSubdirectory("kw-kubectl-").FullName;

    public Kubectl(string kubeconfig, ITestOutputHelper? output)
    {
        _kubeconfig = kubeconfig;
        _output = output;
    }

    public string CacheDir => Path.Combine(_home, "cache");

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    /// <summary>Runs kubectl to completion; on timeout the process (and only it) is killed and the test fails.</summary>
    public async Task<KubectlResult> RunAsync(IReadOnlyList<string> args, string? stdin, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var process = Start(args, redirectStdin: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();

        var timedOut = false;
        using (var cts = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        var result = new KubectlResult(args, timedOut ? -1 : process.ExitCode, await stdout, await stderr, timedOut);
        Log(result.ToString());
        if (timedOut)
        {
            Assert.Fail($"kubectl timed out after {limit.TotalSeconds:0}s\n{result}");
        }

        return result;
    }

    /// <summary>Starts a long-running kubectl (e.g. <c>get -w</c>) in the background.</summary>
    public KubectlWatch StartWatch(params string[] args)
    {
        var process = Start(args, redirectStdin: false);
        Log($"$ kubectl {string.Join(' ', args)} (background, pid {process.Id})");
        return new KubectlWatch(process, Log);
    }

    private Process Start(IReadOnlyList<string> args, bool redirectStdin)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            WorkingDirectory = _home,
        };
        psi.Environment["HOME"] = _home;
        psi.Environment.Remove("KUBECONFIG");
        psi.Environment.Remove("KUBECTL_EXTERNAL_DIFF");
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(_kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(CacheDir);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Binary}");
    }

    private void Log(string text)
    {
        try
        {
            _output?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // The test already finished (a late line from a background watch).
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
