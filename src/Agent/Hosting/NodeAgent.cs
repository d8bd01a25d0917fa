using System.Text;
using KubeWeb.Agent.Connection;
using KubeWeb.Agent.Node;
using KubeWeb.Agent.Pods;
using KubeWeb.Agent.Probes;
using KubeWeb.Agent.Runtime;
using KubeWeb.Agent.Streams;
using KubeWeb.Core.Agents;
using KubeWeb.Core.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Hosting;

/// <summary>
/// One node: its hub connection, registration, pod stream, heartbeats and pod workers. The session
/// loop (re)registers on every new connection and reads the pod stream until it breaks; SignalR's
/// automatic reconnect brings the connection back and the next stream starts from a snapshot.
/// Split: <c>.Heartbeat</c> (Lease and node status), <c>.Stats</c> (resource usage), <c>.StaticPods</c>.
/// </summary>
public sealed partial class NodeAgent : IAsyncDisposable, IPodStatusClient, IPodEventClient
{
    private readonly NodeConfig _config;
    private readonly AgentConnectionSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggers;
    private readonly HubConnection _connection;
    private readonly PodStatusBatcher _statuses;
    private readonly PodEventRecorder _events;
    private readonly ProbeManager? _probes;
    private readonly PodWorkers _workers;
    private readonly AgentStreamDispatcher? _streams;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _loops = [];
    private int _epoch;
    private int _registeredEpoch = -1;
    private RegistrationResult? _registration;
    private readonly NodeStatusReports _statusReports;
    private int _registrations;

    /// <param name="streams">Serves logs, exec, attach and port-forward; default: the runtime, when it implements <see cref="IPodStreams"/>.</param>
    public NodeAgent(NodeConfig config, IPodRuntime runtime, AgentConnectionSettings settings, TimeProvider time, Random random, ILoggerFactory loggers, IPodStreams? streams = null)
    {
        _config = config;
        _settings = settings;
        _time = time;
        _statusReports = new NodeStatusReports(time);
        _random = random;
        Runtime = runtime;
        _log = loggers.CreateLogger<NodeAgent>();
        _loggers = loggers;
        _statuses = new PodStatusBatcher(time, loggers.CreateLogger<PodStatusBatcher>());
        _events = new PodEventRecorder(time, loggers.CreateLogger<PodEventRecorder>());
        if (runtime is IPodEventProducer producer && producer.Events is NoPodEvents)
        {
            producer.Events = _events;
        }

        if (runtime is IContainerProbeTarget probeTarget)
        {
            _probes = new ProbeManager(probeTarget, _events, time, loggers.CreateLogger<ProbeManager>());
            probeTarget.UseStartupResults(_probes);
        }

        _workers = new PodWorkers(new PodWorkerContext(runtime, _statuses, config.NodeIp, time, loggers.CreateLogger<PodWorker>(), _probes));
        _connection = BuildConnection(settings, random, loggers);
        if (runtime is IPodObjectConsumer consumer)
        {
            consumer.Objects ??= this;
        }

        if ((streams ?? runtime as IPodStreams) is { } podStreams)
        {
            _streams = new AgentStreamDispatcher(_connection, podStreams, loggers.CreateLogger<AgentStreamDispatcher>());
        }
        // The epoch counts connections (ConnectionId is null without negotiation): a registration
        // only holds for the connection it was made on.
        _connection.Reconnecting += e =>
        {
            Interlocked.Increment(ref _epoch);
            LogConnectionLost(_log, config.NodeName, e?.Message ?? "closed");
            return Task.CompletedTask;
        };
        _connection.Closed += _ =>
        {
            Interlocked.Increment(ref _epoch);
            return Task.CompletedTask;
        };
    }

    public string NodeName => _config.NodeName;

    public IPodRuntime Runtime { get; }

    /// <summary>Completes when the node registered for the first time.</summary>
    public Task Registered => _registered.Task;

    /// <summary>How many times the node registered (1 + reconnects).</summary>
    public int Registrations => Volatile.Read(ref _registrations);

    public string? PodCidr => _registration?.PodCidr;

    public HubConnectionState ConnectionState => _connection.State;

    internal int WorkerCount => _workers.Count;

    /// <summary>Registered on the connection that is up now.</summary>
    private bool IsRegistered => _connection.State == HubConnectionState.Connected && Volatile.Read(ref _registeredEpoch) == Volatile.Read(ref _epoch);

    /// <summary>Starts the connection, heartbeat and status loops in the background.</summary>
    public void Start()
    {
        var ct = _stopping.Token;
        StartStaticPods(_loggers, ct);
        _loops.Add(Task.Run(() => SessionLoopAsync(ct), CancellationToken.None));
        _loops.Add(Task.Run(() => HeartbeatLoopAsync(ct), CancellationToken.None));
        _loops.Add(Task.Run(() => _statuses.RunAsync(this, ct), CancellationToken.None));
        _loops.Add(Task.Run(() => _events.RunAsync(this, ct), CancellationToken.None));
        if (Runtime is IPodObjectConsumer)
        {
            _loops.Add(Task.Run(() => StorageCleanupLoopAsync(ct), CancellationToken.None));
        }
        _loops.Add(Task.Run(() => StatsLoopAsync(ct), CancellationToken.None));
    }

    async Task<IReadOnlyList<PodStatusResult>> IPodStatusClient.ReportPodStatusesAsync(IReadOnlyList<PodStatusReport> reports, CancellationToken ct)
    {
        RequireRegistered();
        return await _connection.InvokeAsync<IReadOnlyList<PodStatusResult>>(AgentHubProtocol.ReportPodStatuses, reports, ct);
    }

    async Task<int> IPodEventClient.ReportEventsAsync(IReadOnlyList<PodEventReport> reports, CancellationToken ct)
    {
        RequireRegistered();
        return await _connection.InvokeAsync<int>(AgentHubProtocol.ReportEvents, reports, ct);
    }

    /// <summary>Where the node's kubelet events go (runtimes and probes record into it).</summary>
    public IPodEvents Events => _events;

    private async Task SessionLoopAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await EnsureConnectedAsync(ct);
                await RegisterAsync(ct);
                failures = 0;
                await foreach (var batch in _connection.StreamAsync<PodAssignmentBatch>(AgentHubProtocol.WatchPods, ct))
                {
                    if (batch.IsSnapshot)
                    {
                        LogSnapshot(_log, _config.NodeName, batch.Changes.Count);
                    }

                    await _workers.ApplyAsync(batch, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                LogSessionFailed(_log, _config.NodeName, e.Message);
            }

            // The stream broke (connection lost, server resync, server restart): start over after a pause.
            await DelayAsync(ReconnectPolicy.Delay(failures, _settings.MaxReconnectDelay, _random), ct);
        }
    }

    /// <summary>Waits until the connection is up, starting it when it is down (first start, or reconnect gave up).</summary>
    private async Task EnsureConnectedAsync(CancellationToken ct)
    {
        var attempts = 0;
        while (true)
        {
            switch (_connection.State)
            {
                case HubConnectionState.Connected:
                    return;
                case HubConnectionState.Disconnected:
                    try
                    {
                        await _connection.StartAsync(ct);
                        return;
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        attempts++;
                        LogConnectFailed(_log, _config.NodeName, e.Message);
                        await DelayAsync(ReconnectPolicy.Delay(attempts, _settings.MaxReconnectDelay, _random), ct);
                    }

                    break;
                default:
                    await DelayAsync(TimeSpan.FromMilliseconds(100), ct);
                    break;
            }
        }
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        var node = NodeFactory.Build(_config, Runtime.Version, _time.GetUtcNow().UtcDateTime);
        var json = Encoding.UTF8.GetString(KubeJson.SerializeToUtf8(node));
        var epoch = Volatile.Read(ref _epoch);
        var result = await _connection.InvokeAsync<RegistrationResult>(AgentHubProtocol.Register, new NodeRegistration(_config.NodeName, json), ct);
        if (result.PodCidr is { Length: > 0 } cidr)
        {
            await Runtime.UpdatePodCidrAsync(cidr, ct);
        }

        _registration = result;
        _statusReports.Reset();
        Volatile.Write(ref _registeredEpoch, epoch);
        Interlocked.Increment(ref _registrations);
        await _connection.InvokeAsync(AgentHubProtocol.RenewLease, ct);
        LogRegistered(_log, _config.NodeName, result.PodCidr ?? "none");
        _registered.TrySetResult();
    }

    private static HubConnection BuildConnection(AgentConnectionSettings settings, Random random, ILoggerFactory loggers)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(settings.Server, AgentHubProtocol.Path), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(settings.Token);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.HttpMessageHandlerFactory = h =>
                {
                    if (h is HttpClientHandler handler)
                    {
                        handler.ServerCertificateCustomValidationCallback = (_, cert, _, errors) => settings.ValidateServerCertificate(cert, errors);
                    }

                    return h;
                };
                o.WebSocketConfiguration = ws => ws.RemoteCertificateValidationCallback = (_, cert, _, errors) => settings.ValidateServerCertificate(cert, errors);
            })
            // Generated metadata for the hub's messages (the NativeAOT agent has no reflection-built metadata).
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, AgentHubJsonContext.Default))
            .WithAutomaticReconnect(new ReconnectPolicy(settings.MaxReconnectDelay, random))
            .WithServerTimeout(TimeSpan.FromSeconds(30))
            .WithKeepAliveInterval(TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(loggers);
        return builder.Build();
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        await _workers.DisposeAsync();
        if (_probes is not null)
        {
            await _probes.DisposeAsync();
        }
        if (_staticPods is not null)
        {
            await _staticPods.DisposeAsync();
        }

        if (_streams is not null)
        {
            await _streams.DisposeAsync();
        }

        await _connection.DisposeAsync();
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Node {Node} registered (pod CIDR {PodCidr})")]
    private static partial void LogRegistered(ILogger log, string node, string podCidr);

    [LoggerMessage(LogLevel.Debug, "Node {Node} received a snapshot of {Count} pods")]
    private static partial void LogSnapshot(ILogger log, string node, int count);

    [LoggerMessage(LogLevel.Warning, "Node {Node}: connection lost ({Reason}); reconnecting")]
    private static partial void LogConnectionLost(ILogger log, string node, string reason);

    [LoggerMessage(LogLevel.Warning, "Node {Node}: connecting to the server failed: {Reason}")]
    private static partial void LogConnectFailed(ILogger log, string node, string reason);

    [LoggerMessage(LogLevel.Information, "Node {Node}: session ended ({Reason}); resyncing")]
    private static partial void LogSessionFailed(ILogger log, string node, string reason);
}
