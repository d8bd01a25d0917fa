namespace KubeWeb.Api.Agents;

/// <summary>Settings of the agent hub; the host fills <see cref="NodeToken"/> from <c>DATA_DIR/node-token</c>.</summary>
public sealed class AgentHubOptions
{
    /// <summary>The join token every node agent presents. Empty: no agent may connect.</summary>
    public string NodeToken { get; set; } = "";

    /// <summary>The node Lease's <c>leaseDurationSeconds</c> (the kubelet's default).</summary>
    public int LeaseDurationSeconds { get; set; } = 40;

    /// <summary>How often agents renew their Lease (the kubelet renews every quarter of the duration: 10 s).</summary>
    public int LeaseRenewIntervalSeconds { get; set; } = 10;

    /// <summary>An unchanged Node status is still written this often, so its heartbeat times stay fresh.</summary>
    public TimeSpan NodeStatusReportInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The range node pod CIDRs are cut from, one /24 per node, when an agent brings none.</summary>
    public string ClusterCidr { get; set; } = "10.244.0.0/16";

    /// <summary>Largest message an agent may send (status batches of many pods).</summary>
    public long MaximumReceiveMessageSize { get; set; } = 16 * 1024 * 1024;
}
