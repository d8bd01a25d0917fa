using System.Collections.Concurrent;
using System.Threading.Channels;
using KubeWeb.Core.Agents;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Streams;

/// <summary>
/// Serves the server's pod stream requests on the agent's hub connection (see
/// <see cref="AgentStreamProtocol"/>): each <c>OpenStream</c> becomes a <see cref="PodStreamSession"/>
/// fed by a <c>StreamInput</c> stream and answering through a <c>StreamOutput</c> upload. Streams end
/// on their own, on <c>CloseStream</c>, when the connection drops, or when the agent stops.
/// </summary>
internal sealed partial class AgentStreamDispatcher : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly IPodStreams _streams;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Cts, Task Run)> _open = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _handlers = [];

    public AgentStreamDispatcher(HubConnection connection, IPodStreams streams, ILogger log)
    {
        _connection = connection;
        _streams = streams;
        _log = log;
        _handlers.Add(connection.On<PodStreamRequest>(AgentStreamProtocol.OpenStream, Open));
        _handlers.Add(connection.On<string>(AgentStreamProtocol.CloseStream, Close));
        connection.Closed += _ =>
        {
            CancelAll();
            return Task.CompletedTask;
        };
        connection.Reconnecting += _ =>
        {
            CancelAll();
            return Task.CompletedTask;
        };
    }

    public int OpenCount => _open.Count;

    /// <summary>Maps the uid the API knows to the one the runtime runs (a static pod's mirror to the static pod); null keeps it.</summary>
    public Func<string, string?>? ResolveUid { get; set; }

    private void Open(PodStreamRequest request)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var run = Task.Run(() => RunAsync(request, cts), CancellationToken.None);
        if (!_open.TryAdd(request.StreamId, (cts, run)))
        {
            cts.Cancel();
        }
    }

    private void Close(string streamId)
    {
        if (_open.TryGetValue(streamId, out var open))
        {
            open.Cts.Cancel();
        }
    }

    private async Task RunAsync(PodStreamRequest request, CancellationTokenSource cts)
    {
        if (ResolveUid?.Invoke(request.Uid) is { } runtimeUid)
        {
            request = request with { Uid = runtimeUid };
        }

        LogOpened(_log, request.StreamId, request.Kind, request.Namespace, request.Name);
        var output = Channel.CreateUnbounded<StreamFrame>(new UnboundedChannelOptions { SingleReader = true });
        try
        {
            // The output is not cancelled with the stream: its last frames (exit code, error) must still go out.
            await _connection.SendAsync(AgentStreamProtocol.StreamOutput, request.StreamId, output.Reader.ReadAllAsync(CancellationToken.None), cts.Token);
            var input = _connection.StreamAsync<StreamFrame>(AgentStreamProtocol.StreamInput, request.StreamId, cts.Token);
            await new PodStreamSession(request, output.Writer).RunAsync(_streams, input, cts.Token);
        }
        catch (Exception e)
        {
            output.Writer.TryComplete();
            LogFailed(_log, request.StreamId, e.Message);
        }
        finally
        {
            _open.TryRemove(request.StreamId, out _);
            cts.Dispose();
        }
    }

    private void CancelAll()
    {
        foreach (var open in _open.Values)
        {
            try
            {
                open.Cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var h in _handlers)
        {
            h.Dispose();
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_open.Values.Select(o => o.Run));
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Debug, "Stream {StreamId}: {Kind} for pod {Namespace}/{Name}")]
    private static partial void LogOpened(ILogger log, string streamId, PodStreamKind kind, string @namespace, string name);

    [LoggerMessage(LogLevel.Warning, "Stream {StreamId} failed: {Reason}")]
    private static partial void LogFailed(ILogger log, string streamId, string reason);
}
