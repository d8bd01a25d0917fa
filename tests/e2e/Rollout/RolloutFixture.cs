using System.Diagnostics;
using k8s;
using KubeWeb.Controllers.Apps;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Rollout;

/// <summary>
/// The real server in process with the apps controllers, the real kubectl 1.32 against it, and a
/// stand-in kubelet (<see cref="RolloutKubelet"/>) until node agents exist on this branch.
/// Self-contained so it does not depend on the shared e2e infrastructure landing first.
/// </summary>
public sealed class RolloutFixture : IAsyncLifetime
{
    public const string KubectlBinary = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kubeweb-rollout-" + Guid.NewGuid().ToString("N"));

    internal ServerHost Server { get; private set; } = null!;

    internal IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ControllerManagerHost.ConfigureControllers = s => s.AddKubeWebAppsControllers();
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = Path.Combine(_dir, "data"), HttpsPort = 0 },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await Server.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // ObjectStore.DisposeAsync is not idempotent on this branch (fixed on main by d8e76f7).
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs kubectl to completion (60 s at most) and returns its exit code and output.</summary>
    internal async Task<KubectlRun> KubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(KubectlBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--kubeconfig", Server.KubeconfigPath, "--cache-dir", Path.Combine(_dir, "kube-cache") }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new KubectlRun(string.Join(' ', args), process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record KubectlRun(string Command, int ExitCode, string Stdout, string Stderr)
{
    public KubectlRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"kubectl {Command} exited {ExitCode}\n{Stdout}\n{Stderr}");
        return this;
    }

    public KubectlRun Shows(params string[] texts)
    {
        foreach (var t in texts)
        {
            Assert.True(Stdout.Contains(t, StringComparison.Ordinal), $"kubectl {Command}: expected \"{t}\" in\n{Stdout}\n{Stderr}");
        }

        return this;
    }

    public IReadOnlyList<string> Lines => [.. Stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
}
