namespace KubeWeb.Web.Logs;

/// <summary>
/// The streams of one logs page: one <see cref="ContainerLogStream"/> per wanted pod/container,
/// started and stopped as the wanted set changes (a workload's pods come and go), all writing into
/// one capped <see cref="LogBuffer"/>. A new <see cref="LogRequest"/> restarts every stream on an
/// empty buffer. Disposing stops everything.
/// </summary>
public sealed class LogSession(string ns, IPodLogApi api, TimeProvider time, int capacity = LogSession.DefaultCapacity) : IDisposable
{
    public const int DefaultCapacity = 5000;

    private readonly Dictionary<LogSource, (CancellationTokenSource Cts, ContainerLogStream Stream)> _streams = [];
    private readonly Lock _lock = new();
    private LogRequest? _request;

    /// <summary>Raised from stream tasks when a stream's phase changes.</summary>
    public event Action? Changed;

    public LogBuffer Buffer { get; } = new(capacity);

    public IReadOnlyList<LogStreamState> States
    {
        get
        {
            lock (_lock)
            {
                return [.. _streams.Values.Select(s => s.Stream.State).OrderBy(s => s.Source.Pod, StringComparer.Ordinal).ThenBy(s => s.Source.Container, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Follows exactly <paramref name="wanted"/> with <paramref name="request"/>.</summary>
    public void Sync(IReadOnlyCollection<LogSource> wanted, LogRequest request)
    {
        lock (_lock)
        {
            if (_request != request)
            {
                StopAll();
                Buffer.Clear();
                _request = request;
            }

            foreach (var source in _streams.Keys.Where(s => !wanted.Contains(s)).ToList())
            {
                _streams[source].Cts.Cancel();
                _streams[source].Cts.Dispose();
                _streams.Remove(source);
            }

            foreach (var source in wanted.Where(s => !_streams.ContainsKey(s)))
            {
                var cts = new CancellationTokenSource();
                var stream = new ContainerLogStream(ns, source, request, api, Buffer, time);
                stream.StateChanged += _ => Changed?.Invoke();
                _streams[source] = (cts, stream);
                _ = RunAsync(stream, cts.Token);
            }
        }

        Changed?.Invoke();
    }

    private static async Task RunAsync(ContainerLogStream stream, CancellationToken ct)
    {
        try
        {
            await stream.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void StopAll()
    {
        foreach (var (cts, _) in _streams.Values)
        {
            cts.Cancel();
            cts.Dispose();
        }

        _streams.Clear();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            StopAll();
        }
    }
}
