namespace KubeWeb.Api;

/// <summary>Settings of the API server that the host fills from its command line.</summary>
public sealed class ApiServerOptions
{
    /// <summary>The bearer token with full access (written into the admin kubeconfig).</summary>
    public string AdminToken { get; set; } = "";

    /// <summary>host:port clients use to reach this server (discovery's serverAddressByClientCIDRs).</summary>
    public string AdvertiseAddress { get; set; } = "127.0.0.1:6443";

    /// <summary>The range Service cluster IPs come from (<c>--service-cluster-ip-range</c>).</summary>
    public string ServiceClusterIpRange { get; set; } = "10.96.0.0/12";

    /// <summary>The range Service node ports come from (<c>--service-node-port-range</c>).</summary>
    public (int Low, int High) ServiceNodePortRange { get; set; } = (30000, 32767);

    /// <summary>tolerationSeconds added to new pods for the not-ready NoExecute taint.</summary>
    public long DefaultNotReadyTolerationSeconds { get; set; } = 300;

    /// <summary>tolerationSeconds added to new pods for the unreachable NoExecute taint.</summary>
    public long DefaultUnreachableTolerationSeconds { get; set; } = 300;

    /// <summary>
    /// The PEM RSA key service account tokens are signed with (created when missing); null signs with
    /// a key that lives only as long as the process.
    /// </summary>
    public string? ServiceAccountKeyFile { get; set; }

    /// <summary>The Kubernetes version this server speaks; kubectl's dispatcher picks its binary from the minor.</summary>
    public const string GitVersion = "v1.32.0";

    public const string Major = "1";

    public const string Minor = "32";
}
