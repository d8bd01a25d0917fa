using k8s.Models;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Hosting;
using KubeWeb.Agent.Runtime.Simulated;
using KubeWeb.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>Starts simulated node agents against an in-process server, joined with its node token and CA.</summary>
public static class SimulatedAgents
{
    public static AgentHost Start(ServerHost server, string dataDir, string prefix, int count, SimulatedRuntimeOptions simulated,
        ILoggerFactory loggers, Dictionary<string, string>? labels = null, IReadOnlyList<V1Taint>? taints = null, TimeSpan? statsInterval = null)
    {
        var token = File.ReadAllText(server.NodeTokenPath).Trim();
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDir, "tls", "ca.crt"));
        return AgentHost.Start(new AgentOptions
        {
            Connection = new AgentConnectionSettings { Server = new Uri(server.Url), Token = token, CertificateAuthority = ca, MaxReconnectDelay = TimeSpan.FromSeconds(1) },
            NodeName = prefix,
            NodeCount = count,
            Runtime = RuntimeKind.Simulated,
            Labels = labels ?? [],
            Taints = taints ?? [],
            Simulated = simulated,
            StatsInterval = statsInterval ?? TimeSpan.FromSeconds(10),
        }, loggers);
    }
}
