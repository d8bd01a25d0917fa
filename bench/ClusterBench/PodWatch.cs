using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace KubeWeb.Bench.Cluster;

/// <summary>
/// One watch on a namespace's pods, as a client sees the cluster: when each pod was first seen
/// bound (spec.nodeName set) and Running. Times are <see cref="Stopwatch"/> timestamps.
/// </summary>
internal sealed class PodWatch : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodState> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _bound;
    private int _running;
    private int _events;

    private PodWatch(HttpResponseMessage response)
    {
        _loop = Task.Run(() => ReadAsync(response, _stop.Token));
    }

    /// <summary>Pods seen bound so far (deleted ones included).</summary>
    public int Bound => Volatile.Read(ref _bound);

    /// <summary>Watch events received (ADDED, MODIFIED, DELETED): writes per pod as a client sees them.</summary>
    public int Events => Volatile.Read(ref _events);

    /// <summary>Pods now Running and not terminating.</summary>
    public int Running => Volatile.Read(ref _running);

    public static async Task<PodWatch> StartAsync(ApiClient api, string ns)
    {
        var response = await api.WatchAsync($"/api/v1/namespaces/{ns}/pods?watch=true", CancellationToken.None);
        return new PodWatch(response);
    }

    /// <summary>The timestamps at which pods were first seen bound.</summary>
    public List<(string Name, long BoundAt)> BoundTimes()
    {
        lock (_lock)
        {
            return [.. _pods.Where(p => p.Value.BoundAt != 0).Select(p => (p.Key, p.Value.BoundAt))];
        }
    }

    /// <summary>Names of pods now Running (not terminating).</summary>
    public List<string> RunningPods()
    {
        lock (_lock)
        {
            return [.. _pods.Where(p => p.Value.Running).Select(p => p.Key)];
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds or the limit passes; true when it held.</summary>
    public async Task<bool> WaitAsync(Func<PodWatch, bool> done, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (!done(this))
        {
            if (_loop.IsCompleted)
            {
                await _loop;
                throw new InvalidOperationException("the pod watch ended");
            }

            if (sw.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Reads the event lines as bytes (no string per event: the watch is part of the measured process).</summary>
    private async Task ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            var reader = System.IO.Pipelines.PipeReader.Create(await response.Content.ReadAsStreamAsync(ct));
            try
            {
                while (true)
                {
                    var read = await reader.ReadAsync(ct);
                    var buffer = read.Buffer;
                    while (buffer.PositionOf((byte)'\n') is { } end)
                    {
                        var line = buffer.Slice(0, end);
                        if (line.Length > 0)
                        {
                            Apply(line);
                        }

                        buffer = buffer.Slice(buffer.GetPosition(1, end));
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted)
                    {
                        return;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync();
            }
        }
    }

    private void Apply(ReadOnlySequence<byte> line)
    {
        var now = Stopwatch.GetTimestamp();
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        var obj = doc.RootElement.GetProperty("object");
        if (type is not ("ADDED" or "MODIFIED" or "DELETED"))
        {
            return;
        }

        Interlocked.Increment(ref _events);
        var meta = obj.GetProperty("metadata");
        var name = meta.GetProperty("name").GetString()!;
        var bound = obj.TryGetProperty("spec", out var spec) && spec.TryGetProperty("nodeName", out var n) && n.GetString() is { Length: > 0 };
        var running = type != "DELETED" && !meta.TryGetProperty("deletionTimestamp", out _)
            && obj.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) && phase.GetString() == "Running";
        lock (_lock)
        {
            if (!_pods.TryGetValue(name, out var state))
            {
                state = new PodState();
                _pods[name] = state;
            }

            if (bound && state.BoundAt == 0)
            {
                state.BoundAt = now;
                Interlocked.Increment(ref _bound);
            }

            if (running != state.Running)
            {
                state.Running = running;
                Interlocked.Add(ref _running, running ? 1 : -1);
            }

            if (type == "DELETED")
            {
                _pods.Remove(name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
        }

        _stop.Dispose();
    }

    private sealed class PodState
    {
        public long BoundAt;
        public bool Running;
    }
}
