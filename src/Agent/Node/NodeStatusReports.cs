using k8s.Models;
using KubeWeb.Core.Serialization;

namespace KubeWeb.Agent.Node;

/// <summary>
/// When the agent sends its Node status, as the kubelet decides it: the status is computed on every
/// heartbeat but sent only when it differs from the last one sent (heartbeat and transition times
/// aside: the server stamps those) or the last one is older than the report interval
/// (nodeStatusReportFrequency). Liveness does not depend on it: the Lease is renewed every heartbeat.
/// </summary>
public sealed class NodeStatusReports(TimeProvider time)
{
    private byte[]? _lastSent;
    private DateTimeOffset _sentAt;

    /// <summary>
    /// The status to send now, as JSON without condition times, or null when the last one sent still
    /// stands. Call <see cref="Sent"/> once the server has it.
    /// </summary>
    public byte[]? Due(V1NodeStatus status, TimeSpan reportInterval)
    {
        foreach (var c in status.Conditions ?? [])
        {
            c.LastHeartbeatTime = null;
            c.LastTransitionTime = null;
        }

        var json = KubeJson.SerializeToUtf8(status);
        return _lastSent is not null && json.AsSpan().SequenceEqual(_lastSent) && time.GetUtcNow() - _sentAt < reportInterval
            ? null
            : json;
    }

    public void Sent(byte[] status)
    {
        _lastSent = status;
        _sentAt = time.GetUtcNow();
    }

    /// <summary>After (re)registration the server holds what registration sent: the next status goes out in full.</summary>
    public void Reset() => _lastSent = null;
}
