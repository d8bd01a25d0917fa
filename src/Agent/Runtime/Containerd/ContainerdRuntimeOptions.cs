namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>How the agent drives one containerd through CRI.</summary>
public sealed record ContainerdRuntimeOptions
{
    /// <summary>containerd's CRI socket (<c>--container-runtime-endpoint</c>, <c>unix://</c> optional).</summary>
    public required string SocketPath { get; init; }

    /// <summary>Where pod folders (hosts file, emptyDirs, termination logs) and pod logs live.</summary>
    public required string DataDir { get; init; }

    /// <summary>
    /// The generated config of a containerd this process supervises; lets the runtime write the CNI
    /// conflist for the node's pod CIDR. Null for an existing containerd (only UpdateRuntimeConfig).
    /// </summary>
    public ContainerdConfig? Managed { get; init; }

    /// <summary>The cgroup (cgroupfs path) under which every pod gets <c>pod&lt;uid&gt;</c>.</summary>
    public string CgroupRoot { get; init; } = "/kubeweb";

    /// <summary>Where the cgroup hierarchies are mounted (pod cgroup folders are removed under each).</summary>
    public string CgroupFsRoot { get; init; } = "/sys/fs/cgroup";

    /// <summary>Cluster DNS servers for <c>ClusterFirst</c>; empty falls back to the node's resolv.conf, as the kubelet does.</summary>
    public IReadOnlyList<string> ClusterDns { get; init; } = [];

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The node's resolver config (<c>dnsPolicy: Default</c>).</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>How often configMap, secret, downwardAPI and projected volumes are rewritten (the kubelet's sync period is a minute).</summary>
    public TimeSpan VolumeSyncInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the runtime lists containers to notice exits (the kubelet's PLEG relist period).</summary>
    public TimeSpan RelistInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First CrashLoopBackOff / ImagePullBackOff delay; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A container that ran this long before exiting restarts without back-off.</summary>
    public TimeSpan BackoffReset { get; init; } = TimeSpan.FromMinutes(10);

    public string PodsDir => Path.Combine(DataDir, "pods");

    public string LogsDir => Path.Combine(DataDir, "pod-logs");

    /// <summary>Accepts <c>unix:///path</c> as well as a plain path.</summary>
    public static string SocketFromEndpoint(string endpoint) =>
        endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint;
}
