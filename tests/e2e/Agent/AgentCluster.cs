using System.Diagnostics;
using k8s;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Api.Agents;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Agent;

/// <summary>
/// The real server in process (no controllers) with simulated node agents connected over its real
/// HTTPS endpoint and SignalR hub; kubectl and the official client talk to the same server.
/// </summary>
public sealed class AgentCluster : IAsyncLifetime
{
    public const string Kubectl = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kw-agent-" + Guid.NewGuid().ToString("n")[..8]);
    private readonly List<AgentHost> _agents = [];
    private ILoggerFactory _loggers = null!;

    public ServerHost Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    /// <summary>Three simulated nodes sim-0..2, labelled zone=a, with a NoSchedule taint.</summary>
    public AgentHost Nodes { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        Server = await ServerHost.StartAsync(new ServerSettings { DataDir = Path.Combine(_dir, "data"), HttpsPort = 0, DisableControllers = true },
            logging: b => b.SetMinimumLevel(LogLevel.Warning));
        // Short Lease renewals so the test sees several within seconds (the default is 10 s).
        Server.Services.GetRequiredService<AgentHubOptions>().LeaseRenewIntervalSeconds = 1;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        Nodes = StartAgents("sim", 3, labels: new() { ["zone"] = "a" },
            taints: [new k8s.Models.V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }]);
        await Task.WhenAll(Nodes.Nodes.Select(n => n.Registered)).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public AgentHost StartAgents(string prefix, int count, Dictionary<string, string>? labels = null, IReadOnlyList<k8s.Models.V1Taint>? taints = null)
    {
        var host = SimulatedAgents.Start(Server, Path.Combine(_dir, "data"), prefix, count,
            new SimulatedRuntimeOptions { StartDelay = TimeSpan.FromMilliseconds(200), TerminationScale = 0.1 }, _loggers, labels, taints);
        _agents.Add(host);
        return host;
    }

    /// <summary>Runs kubectl against the server; returns stdout, throws with stderr on failure.</summary>
    public async Task<string> KubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", Server.KubeconfigPath, "--cache-dir", Path.Combine(_dir, "kubecache") }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents)
        {
            await a.DisposeAsync();
        }

        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _loggers?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
