using System.Net;
using k8s;
using k8s.Models;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.E2E.Infrastructure;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Streams;

/// <summary>
/// A server with one in-process simulated node whose containers log a line per second: the target of
/// the logs, exec, attach and port-forward scenarios driven by the real kubectl.
/// </summary>
public sealed class StreamsCluster : IAsyncLifetime
{
    private ILoggerFactory _loggers = null!;
    private AgentHost _agents = null!;

    public string Dir { get; } = Directory.CreateTempSubdirectory("kw-streams-").FullName;

    public ServerHost Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "agent.log")));
            b.SetMinimumLevel(LogLevel.Debug);
            b.AddFilter("Microsoft", LogLevel.Warning);
        });
        Server = await ServerHost.StartAsync(new ServerSettings
        {
            DataDir = Path.Combine(Dir, "data"),
            HttpsPort = FreePort(),
            BindAddress = IPAddress.Loopback,
        }, logging: b =>
        {
            b.AddProvider(new FileLoggerProvider(Path.Combine(Dir, "server.log")));
            b.SetMinimumLevel(LogLevel.Information);
            b.AddFilter("KubeWeb.Api.Streams", LogLevel.Debug);
            b.AddFilter("Microsoft", LogLevel.Warning);
            b.AddFilter("System.Net.Http", LogLevel.Warning);
        });
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        var token = (await File.ReadAllTextAsync(Server.NodeTokenPath)).Trim();
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Dir, "data", "tls", "ca.crt"));
        _agents = AgentHost.Start(new AgentOptions
        {
            Connection = new AgentConnectionSettings { Server = new Uri(Server.Url), Token = token, CertificateAuthority = ca, MaxReconnectDelay = TimeSpan.FromSeconds(1) },
            NodeName = "stream-node",
            NodeIp = "127.0.0.1",
            Runtime = RuntimeKind.Simulated,
            DataDir = Path.Combine(Dir, "agent"),
            Simulated = new SimulatedRuntimeOptions
            {
                StartDelay = TimeSpan.FromMilliseconds(100),
                TerminationScale = 0.01,
                LogDirectory = Path.Combine(Dir, "logs"),
                LogInterval = TimeSpan.FromSeconds(1),
            },
        }, _loggers);
        await Task.WhenAll(_agents.Nodes.Select(n => n.Registered)).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Creates a pod (containers named as given, all with port 80) and waits until it runs.</summary>
    public async Task<V1Pod> RunPodAsync(string name, params string[] containers)
    {
        var names = containers.Length == 0 ? ["main"] : containers;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                Containers = names.Select(c => new V1Container
                {
                    Name = c,
                    Image = "busybox:1.36",
                    Ports = c == names[0] ? [new V1ContainerPort { ContainerPort = 80 }] : null,
                }).ToList(),
            },
        };
        await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        return await WaitForPodAsync(name, p => p.Status?.Phase == "Running");
    }

    public async Task<V1Pod> WaitForPodAsync(string name, Func<V1Pod, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var pod = await Client.CoreV1.ReadNamespacedPodAsync(name, "default");
            if (condition(pod))
            {
                return pod;
            }

            Assert.True(DateTime.UtcNow < deadline, $"pod {name} did not reach the expected state; phase {pod.Status?.Phase}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await _agents.DisposeAsync();
        Client?.Dispose();
        await Server.DisposeAsync();
        _loggers.Dispose();
        if (Environment.GetEnvironmentVariable("KUBEWEB_E2E_KEEP") != "1")
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
