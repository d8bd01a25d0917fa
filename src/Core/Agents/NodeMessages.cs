namespace KubeWeb.Core.Agents;

/// <summary>
/// What an agent asks for when it (re)connects. <paramref name="Node"/> is a <c>v1 Node</c> as JSON
/// built by the agent: labels, taints (applied only when the Node is created, as the kubelet's
/// <c>--register-with-taints</c>), addresses, capacity, conditions, nodeInfo. An existing Node keeps
/// its spec (cordon, taints added since); labels are merged and the status replaced.
/// </summary>
public sealed record NodeRegistration(string NodeName, string Node);

/// <summary>
/// The server's answer to <see cref="AgentHubProtocol.Register"/>: the Node's uid, its pod CIDR (set
/// by the server when the agent asked for none) and the heartbeat timings the agent must keep: the
/// Lease is renewed every <paramref name="LeaseRenewIntervalSeconds"/>, an unchanged Node status is
/// sent again every <paramref name="NodeStatusReportIntervalSeconds"/> (a changed one at once).
/// </summary>
public sealed record RegistrationResult(string NodeUid, string? PodCidr, int LeaseDurationSeconds, int LeaseRenewIntervalSeconds, int NodeStatusReportIntervalSeconds = 60);

/// <summary>
/// The Node status the agent currently observes (a <c>v1 NodeStatus</c> as JSON). Agents send it when
/// it changed or the report interval passed; the server still writes it only when something other
/// than heartbeat times differs, or the last write is older than its report interval.
/// </summary>
public sealed record NodeStatusUpdate(string Status);
