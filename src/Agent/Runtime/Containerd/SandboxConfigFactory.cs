using System.Text;
using k8s.Models;
using KubeWeb.Agent.Cri.V1;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>Pod spec → CRI sandbox config (the kubelet's generatePodSandboxConfig), DNS and the pod's hosts file.</summary>
internal static class SandboxConfigFactory
{
    public static PodSandboxConfig Build(V1Pod pod, ContainerdRuntimeOptions options, uint attempt)
    {
        var meta = pod.Metadata;
        var ns = meta.NamespaceProperty ?? "default";
        var hostNetwork = pod.Spec.HostNetwork == true;
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = meta.Name, Namespace = ns, Uid = meta.Uid, Attempt = attempt },
            Hostname = hostNetwork ? "" : Hostname(pod),
            LogDirectory = LogDirectory(options, pod),
            DnsConfig = Dns(pod, options),
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = CgroupParent(options, meta.Uid),
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption
                    {
                        Network = hostNetwork ? NamespaceMode.Node : NamespaceMode.Pod,
                        Pid = pod.Spec.HostPID == true ? NamespaceMode.Node : NamespaceMode.Container,
                        Ipc = pod.Spec.HostIPC == true ? NamespaceMode.Node : NamespaceMode.Pod,
                    },
                },
            },
        };
        foreach (var (k, v) in meta.Labels ?? new Dictionary<string, string>())
        {
            config.Labels[k] = v;
        }

        config.Labels[CriLabels.Managed] = "true";
        config.Labels[CriLabels.PodUid] = meta.Uid;
        config.Labels[CriLabels.PodName] = meta.Name;
        config.Labels[CriLabels.PodNamespace] = ns;
        foreach (var (k, v) in meta.Annotations ?? new Dictionary<string, string>())
        {
            config.Annotations[k] = v;
        }

        foreach (var c in pod.Spec.Containers ?? [])
        {
            foreach (var p in c.Ports ?? [])
            {
                if (p.HostPort is > 0)
                {
                    config.PortMappings.Add(new PortMapping
                    {
                        Protocol = p.Protocol switch { "UDP" => Protocol.Udp, "SCTP" => Protocol.Sctp, _ => Protocol.Tcp },
                        ContainerPort = p.ContainerPort,
                        HostPort = p.HostPort.Value,
                        HostIp = p.HostIP ?? "",
                    });
                }
            }
        }

        return config;
    }

    public static string CgroupParent(ContainerdRuntimeOptions options, string uid) => $"{options.CgroupRoot.TrimEnd('/')}/pod{uid}";

    public static string LogDirectory(ContainerdRuntimeOptions options, V1Pod pod) =>
        Path.Combine(options.LogsDir, $"{pod.Metadata.NamespaceProperty ?? "default"}_{pod.Metadata.Name}_{pod.Metadata.Uid}");

    /// <summary>spec.hostname or the pod name, cut to a DNS label as the kubelet does.</summary>
    public static string Hostname(V1Pod pod)
    {
        var name = string.IsNullOrEmpty(pod.Spec.Hostname) ? pod.Metadata.Name : pod.Spec.Hostname;
        return name.Length > 63 ? name[..63].TrimEnd('-', '.') : name;
    }

    /// <summary>The resolver config per dnsPolicy (+ dnsConfig), as the kubelet's dns configurer builds it.</summary>
    public static DNSConfig Dns(V1Pod pod, ContainerdRuntimeOptions options)
    {
        var policy = pod.Spec.DnsPolicy ?? "ClusterFirst";
        if (policy == "ClusterFirst" && pod.Spec.HostNetwork == true)
        {
            policy = "Default";
        }

        if (policy is "ClusterFirst" or "ClusterFirstWithHostNet" && options.ClusterDns.Count == 0)
        {
            // No cluster DNS configured: the kubelet falls back to the node's resolver.
            policy = "Default";
        }

        var dns = new DNSConfig();
        switch (policy)
        {
            case "ClusterFirst" or "ClusterFirstWithHostNet":
                var ns = pod.Metadata.NamespaceProperty ?? "default";
                dns.Servers.AddRange(options.ClusterDns);
                dns.Searches.AddRange([$"{ns}.svc.{options.ClusterDomain}", $"svc.{options.ClusterDomain}", options.ClusterDomain]);
                dns.Searches.AddRange(HostResolv(options.ResolvConf).Searches);
                dns.Options.Add("ndots:5");
                break;
            case "Default":
                var host = HostResolv(options.ResolvConf);
                dns.Servers.AddRange(host.Servers);
                dns.Searches.AddRange(host.Searches);
                dns.Options.AddRange(host.Options);
                break;
        }

        if (pod.Spec.DnsConfig is { } extra)
        {
            dns.Servers.AddRange((extra.Nameservers ?? []).Where(s => !dns.Servers.Contains(s)));
            dns.Searches.AddRange((extra.Searches ?? []).Where(s => !dns.Searches.Contains(s)));
            foreach (var o in extra.Options ?? [])
            {
                var text = o.Value is null ? o.Name : $"{o.Name}:{o.Value}";
                var existing = dns.Options.ToList().FindIndex(x => x.Split(':')[0] == o.Name);
                if (existing >= 0)
                {
                    dns.Options[existing] = text;
                }
                else
                {
                    dns.Options.Add(text);
                }
            }
        }

        return dns;
    }

    /// <summary>The kubelet's managed hosts file: localhost entries, the pod's own, then hostAliases.</summary>
    public static string HostsFile(V1Pod pod, string? ip)
    {
        var sb = new StringBuilder();
        sb.Append("# Kubernetes-managed hosts file.\n");
        sb.Append("127.0.0.1\tlocalhost\n");
        sb.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.Append("fe00::0\tip6-localnet\n");
        sb.Append("fe00::0\tip6-mcastprefix\n");
        sb.Append("fe00::1\tip6-allnodes\n");
        sb.Append("fe00::2\tip6-allrouters\n");
        if (!string.IsNullOrEmpty(ip))
        {
            sb.Append(ip).Append('\t').Append(Hostname(pod)).Append('\n');
        }

        if (pod.Spec.HostAliases is { Count: > 0 } aliases)
        {
            sb.Append("\n# Entries added by HostAliases.\n");
            foreach (var a in aliases)
            {
                sb.Append(a.Ip).Append('\t').Append(string.Join('\t', a.Hostnames ?? [])).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static (List<string> Servers, List<string> Searches, List<string> Options) HostResolv(string path)
    {
        var servers = new List<string>();
        var searches = new List<string>();
        var opts = new List<string>();
        if (!File.Exists(path))
        {
            return (servers, searches, opts);
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var fields = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0].StartsWith('#') || fields[0].StartsWith(';'))
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver":
                    servers.Add(fields[1]);
                    break;
                case "search" or "domain":
                    searches.Clear();
                    searches.AddRange(fields.Skip(1));
                    break;
                case "options":
                    opts.AddRange(fields.Skip(1));
                    break;
            }
        }

        return (servers, searches, opts);
    }
}
