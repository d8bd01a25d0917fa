using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace KubeWeb.Api.Agents;

/// <summary>
/// Which hub connection speaks for which node. A node has at most one live session: a newer
/// registration replaces (and aborts) an older connection claiming the same node name.
/// </summary>
internal sealed class AgentSessions
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _byNode = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> ConnectedNodes => [.. _byNode.Keys];

    /// <summary>The hub connection that speaks for <paramref name="nodeName"/> now, if any.</summary>
    public string? ConnectionIdOf(string nodeName) => _byNode.TryGetValue(nodeName, out var c) ? c.ConnectionId : null;

    /// <summary>Binds and returns the connection this one replaced, if any.</summary>
    public HubCallerContext? Replace(string nodeName, HubCallerContext connection)
    {
        HubCallerContext? replaced = null;
        _byNode.AddOrUpdate(nodeName, connection, (_, old) =>
        {
            replaced = old.ConnectionId == connection.ConnectionId ? null : old;
            return connection;
        });
        return replaced;
    }

    public void Unbind(string nodeName, HubCallerContext connection) =>
        _byNode.TryRemove(new KeyValuePair<string, HubCallerContext>(nodeName, connection));

    /// <summary>Drops a node's connection as a network failure would (tests; later: node removal).</summary>
    public bool Abort(string nodeName)
    {
        if (_byNode.TryGetValue(nodeName, out var connection))
        {
            connection.Abort();
            return true;
        }

        return false;
    }
}
