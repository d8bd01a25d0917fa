namespace KubeWeb.Api;

/// <summary>Settings of the API server that the host fills from its command line.</summary>
public sealed class ApiServerOptions
{
    /// <summary>The bearer token with full access (written into the admin kubeconfig).</summary>
    public string AdminToken { get; set; } = "";

    /// <summary>host:port clients use to reach this server (discovery's serverAddressByClientCIDRs).</summary>
    public string AdvertiseAddress { get; set; } = "127.0.0.1:6443";

    /// <summary>The Kubernetes version this server speaks; kubectl's dispatcher picks its binary from the minor.</summary>
    public const string GitVersion = "v1.32.0";

    public const string Major = "1";

    public const string Minor = "32";
}
