using System.Collections.Concurrent;
using KubeWeb.Api.Agents;
using KubeWeb.Api.Http;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Streams;

/// <summary>
/// Opens pod streams on node agents over their hub connections (<see cref="AgentStreamProtocol"/>)
/// and matches the agents' <c>StreamInput</c>/<c>StreamOutput</c> calls to them. A stream belongs to
/// the connection it was opened on: a lost connection fails its streams.
/// </summary>
internal sealed partial class AgentStreamBroker(AgentSessions sessions, IHubContext<AgentHub> hub, ILogger<AgentStreamBroker> log)
{
    private readonly ConcurrentDictionary<string, AgentStream> _streams = new(StringComparer.Ordinal);

    /// <summary>How long the agent has to answer an open with Ready or Error.</summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int Window { get; set; } = AgentStreamProtocol.DefaultWindow;

    public int OpenCount => _streams.Count;

    /// <summary>
    /// Opens a stream and waits for the agent to start it. Throws an <see cref="ApiError"/> for the
    /// client when the node is not connected, the agent refused (its code and message) or did not answer.
    /// The caller <see cref="AgentStream.Close"/>s the result.
    /// </summary>
    public async Task<AgentStream> OpenAsync(string nodeName, Func<string, int, PodStreamRequest> request, CancellationToken ct)
    {
        var connectionId = sessions.ConnectionIdOf(nodeName)
            ?? throw new ApiError(500, "InternalError", $"error dialing backend: node \"{nodeName}\" has no agent connected");
        var stream = new AgentStream(Guid.NewGuid().ToString("N"), connectionId, Window, Closed);
        _streams[stream.Id] = stream;
        var opened = false;
        try
        {
            var message = request(stream.Id, Window);
            await hub.Clients.Client(connectionId).SendAsync(AgentStreamProtocol.OpenStream, message, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(OpenTimeout);
            StreamFrame? first;
            try
            {
                first = await stream.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ApiError(500, "InternalError", $"error dialing backend: the agent of node \"{nodeName}\" did not open the stream");
            }

            switch (first)
            {
                case { Type: StreamFrameType.Ready }:
                    opened = true;
                    LogOpened(stream.Id, message.Kind, nodeName);
                    return stream;
                case { Type: StreamFrameType.Error } e:
                    throw new ApiError(e.Value, e.Value switch { 400 => "BadRequest", 404 => "NotFound", _ => "InternalError" }, e.Text ?? "the stream failed");
                default:
                    throw new ApiError(500, "InternalError", $"error dialing backend: the agent of node \"{nodeName}\" ended the stream");
            }
        }
        finally
        {
            if (!opened)
            {
                stream.Close();
            }
        }
    }

    public AgentStream? Find(string streamId, string connectionId) =>
        _streams.TryGetValue(streamId, out var s) && s.ConnectionId == connectionId ? s : null;

    /// <summary>The agent's connection closed: its streams end with an error.</summary>
    public void ConnectionLost(string connectionId)
    {
        foreach (var s in _streams.Values.Where(s => s.ConnectionId == connectionId))
        {
            s.Fail("the node's agent disconnected");
        }
    }

    private void Closed(AgentStream stream)
    {
        _streams.TryRemove(stream.Id, out _);
        if (!stream.OutputEnded)
        {
            // Best effort: a connection that is gone has no stream to cancel.
            _ = hub.Clients.Client(stream.ConnectionId).SendAsync(AgentStreamProtocol.CloseStream, stream.Id);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Stream {StreamId}: {Kind} opened on node {Node}")]
    private partial void LogOpened(string streamId, PodStreamKind kind, string node);
}
