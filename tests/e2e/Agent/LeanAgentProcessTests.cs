using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Agent;

/// <summary>
/// <c>kubeweb agent</c> as a node runs it: with <c>kubeweb-agent</c> beside <c>kubeweb</c> (this
/// project references src/AgentHost, so its executable is built here; scripts/publish-agent.sh
/// puts the NativeAOT one there) the process becomes kubeweb-agent (same PID), registers its node,
/// runs a pod and stops cleanly on SIGTERM; with KUBEWEB_AGENT_IN_PROCESS=1 it stays kubeweb.
/// With KUBEWEB_AGENT_BINARY set (.ci/run publishes the NativeAOT kubeweb-agent and sets it), that
/// binary is run on its own the same way.
/// </summary>
[Trait("Category", "Slow")]
public sealed class LeanAgentProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kw-lean-").FullName;
    private ServerHost _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerHost.StartAsync(new ServerSettings { DataDir = Path.Combine(_dir, "data"), HttpsPort = 0, DisableControllers = true },
            logging: b => b.SetMinimumLevel(LogLevel.Warning));
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_server.KubeconfigPath));
    }

    public static TheoryData<string> Binaries()
    {
        var data = new TheoryData<string> { "kubeweb agent", "kubeweb agent (in process)" };
        if (Environment.GetEnvironmentVariable("KUBEWEB_AGENT_BINARY") is { Length: > 0 })
        {
            data.Add("KUBEWEB_AGENT_BINARY");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Agent_RegistersRunsAPod_AndStopsCleanlyOnSigterm(string binary)
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "kubeweb-agent")), "kubeweb-agent should be built beside kubeweb");
        var (node, file, expectedExe) = binary switch
        {
            "kubeweb agent" => ("lean", Path.Combine(AppContext.BaseDirectory, "kubeweb"), "kubeweb-agent"),
            "kubeweb agent (in process)" => ("in-process", Path.Combine(AppContext.BaseDirectory, "kubeweb"), "kubeweb"),
            _ => ("aot", Environment.GetEnvironmentVariable("KUBEWEB_AGENT_BINARY")!, "kubeweb-agent"),
        };
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (node == "in-process")
        {
            psi.Environment["KUBEWEB_AGENT_IN_PROCESS"] = "1";
        }

        if (node != "aot")
        {
            psi.ArgumentList.Add("agent");
        }

        foreach (var a in new[]
        {
            "--server", _server.Url, "--token-file", _server.NodeTokenPath, "--certificate-authority", Path.Combine(_dir, "data", "tls", "ca.crt"),
            "--runtime", "simulated", "--node-name", node, "--simulated-start-delay", "50", "--simulated-termination-scale", "0.01",
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var agent = Process.Start(psi)!;
        var stdout = agent.StandardOutput.ReadToEndAsync();
        var stderr = agent.StandardError.ReadToEndAsync();
        try
        {
            await AgentCluster.WaitUntilAsync(async () => (await _client.CoreV1.ListNodeAsync(fieldSelector: $"metadata.name={node}")).Items is [{ } n]
                && n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, TimeSpan.FromSeconds(60), $"node {node} Ready");
            Assert.Equal(expectedExe, Path.GetFileName(new FileInfo($"/proc/{agent.Id.ToString(CultureInfo.InvariantCulture)}/exe").LinkTarget));

            await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"on-{node}" },
                Spec = new V1PodSpec
                {
                    NodeName = node,
                    Containers = [new V1Container { Name = "app", Image = "busybox", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("32Mi") } } }],
                },
            }, "default");
            await AgentCluster.WaitUntilAsync(async () => (await _client.CoreV1.ReadNamespacedPodStatusAsync($"on-{node}", "default")).Status is { Phase: "Running", PodIP: not null, ContainerStatuses: [{ Ready: true }] },
                TimeSpan.FromSeconds(60), $"pod on-{node} Running");

            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]))!;
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await agent.WaitForExitAsync(cts.Token);
            var text = await stdout + await stderr;
            output.WriteLine(text);
            Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
            Assert.Equal(0, agent.ExitCode);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
                output.WriteLine(await stdout + await stderr);
            }
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
