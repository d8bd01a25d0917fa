
namespace KubeWeb.Core.Queues;

/// <summary>
/// A de-duplicating work queue with the semantics of client-go's: an item queued several times
/// before a worker takes it is processed once; an item queued while a worker processes it is
/// processed again after <see cref="Done"/>, never by two workers at once. Delayed and
/// rate-limited adds use the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly IRateLimiter<T> _limiter;
    private readonly TimeProvider _time;
    private readonly List<ITimer> _timers = [];
    private bool _shuttingDown;

    public WorkQueue(IRateLimiter<T> limiter, TimeProvider time)
    {
        _limiter = limiter;
        _time = time;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(item))
            {
                return;
            }

            if (_processing.Contains(item))
            {
                return; // re-queued by Done
            }

            _queue.Enqueue(item);
        }

        _available.Release();
    }

    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                Add(item);
                lock (_lock)
                {
                    _timers.Remove(timer!);
                }

                timer!.Dispose();
            }, null, delay, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    /// <summary>Queues the item after its back-off (failures count up until <see cref="Forget"/>).</summary>
    public void AddRateLimited(T item) => AddAfter(item, _limiter.When(item));

    /// <summary>Resets the item's back-off after a success.</summary>
    public void Forget(T item) => _limiter.Forget(item);

    public int Retries(T item) => _limiter.Retries(item);

    /// <summary>Waits for the next item; the caller must call <see cref="Done"/> with it. Null once shut down.</summary>
    public async Task<(bool Ok, T Item)> GetAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await _available.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return (false, default!);
            }

            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    if (_shuttingDown)
                    {
                        return (false, default!);
                    }

                    continue;
                }

                var item = _queue.Dequeue();
                _processing.Add(item);
                _dirty.Remove(item);
                return (true, item);
            }
        }
    }

    public void Done(T item)
    {
        var requeue = false;
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                _queue.Enqueue(item);
                requeue = true;
            }
        }

        if (requeue)
        {
            _available.Release();
        }
    }

    public void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            foreach (var t in _timers)
            {
                t.Dispose();
            }

            _timers.Clear();
        }

        _available.Release(1000);
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }
}
