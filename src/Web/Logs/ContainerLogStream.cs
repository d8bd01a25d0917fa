using KubeWeb.Web.Api;

namespace KubeWeb.Web.Logs;

/// <summary>Where one container's stream stands, for the page's per-stream chips.</summary>
public enum LogStreamPhase
{
    Connecting,
    Streaming,
    Waiting,
    Ended,
    Failed,
}

public sealed record LogStreamState(LogSource Source, LogStreamPhase Phase, string? Message = null);

/// <summary>
/// Follows one container's log into the page's buffer. When a followed stream ends while the
/// container still runs (API restart, agent reconnect, a watch timeout on the way) it reopens with
/// <c>sinceSeconds</c> from the last line's timestamp and skips lines it already has; a container
/// not started yet is waited for; a terminated one ends the stream. The caller cancels to stop.
/// </summary>
public sealed class ContainerLogStream(string ns, LogSource source, LogRequest request, IPodLogApi api, LogBuffer buffer, TimeProvider time)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public event Action<LogStreamState>? StateChanged;

    public LogStreamState State { get; private set; } = new(source, LogStreamPhase.Connecting);

    public async Task RunAsync(CancellationToken ct)
    {
        DateTimeOffset? last = null;
        var atLast = 0;
        var backoff = TimeSpan.FromMilliseconds(500);
        var follow = request.Follow && !request.Previous;
        while (!ct.IsCancellationRequested)
        {
            ApiProblem? problem = null;
            try
            {
                var query = last is { } l
                    ? request with { TailLines = null, SinceSeconds = Math.Max(1, (int)Math.Ceiling((time.GetUtcNow() - l).TotalSeconds) + 1) }
                    : request with { Follow = follow };
                await using var stream = await api.OpenAsync(ns, source, query with { Follow = follow }, ct);
                Set(LogStreamPhase.Streaming);
                using var reader = new StreamReader(stream);
                var skipAtLast = atLast;
                while (await reader.ReadLineAsync(ct) is { } raw)
                {
                    var (ts, text) = LogLine.Parse(raw);
                    if (ts is { } t && last is { } seen)
                    {
                        // Resumed streams start a little early: drop what is already held.
                        if (t < seen || (t == seen && skipAtLast-- > 0))
                        {
                            continue;
                        }
                    }

                    buffer.Add(source, ts, text);
                    if (ts is { } stamp)
                    {
                        atLast = stamp == last ? atLast + 1 : 1;
                        last = stamp;
                    }

                    backoff = TimeSpan.FromMilliseconds(500);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                problem = ApiErrors.Describe(e);
            }

            if (ct.IsCancellationRequested)
            {
                return;
            }

            if (!follow)
            {
                Set(problem is null ? LogStreamPhase.Ended : LogStreamPhase.Failed, problem?.Detail);
                return;
            }

            ContainerRunState state;
            try
            {
                state = await api.StateAsync(ns, source, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                problem = ApiErrors.Describe(e);
                state = ContainerRunState.NotStarted;
            }

            if (state == ContainerRunState.Gone)
            {
                Set(LogStreamPhase.Ended, "the container is no longer running");
                return;
            }

            Set(LogStreamPhase.Waiting, state == ContainerRunState.NotStarted && problem is null ? "waiting for the container to start" : problem?.Detail ?? "reconnecting");
            try
            {
                await Task.Delay(backoff, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private void Set(LogStreamPhase phase, string? message = null)
    {
        State = new LogStreamState(source, phase, message);
        StateChanged?.Invoke(State);
    }
}
