namespace KubeWeb.Controllers.Scheduling.Queue;

/// <summary>
/// Upstream's scheduling queue over pod keys: an <em>active</em> heap (higher priority first, then
/// first come), a <em>back-off</em> set of pods waiting out 1 s·2^(attempts−1) (max 10 s) after a
/// failure, and an <em>unschedulable</em> set of pods parked until a cluster event
/// (<see cref="MoveAllToActiveOrBackoff"/>: node added or changed, pod deleted) or
/// <see cref="SchedulerOptions.MaxInUnschedulable"/>. A pod that fails while a cluster event
/// happened during its attempt goes to back-off instead of being parked, so the event is not lost.
/// The queue holds keys only: the scheduler reads the current pod when it pops one. Thread-safe.
/// </summary>
internal sealed class SchedulingQueue(SchedulerOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<string, (int NegPriority, long Seq)> _active = new();
    private readonly HashSet<string> _inActive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _backoff = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _unschedulable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private long _seq;
    private long _schedulingCycle;
    private long _moveRequestCycle = -1;

    private sealed class Entry
    {
        public int Priority { get; set; }

        /// <summary>The pod has required pod affinity: another pod appearing may make it schedulable.</summary>
        public bool WaitsForPods { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public bool UpdatedInFlight { get; set; }
    }

    public int ActiveCount
    {
        get
        {
            lock (_lock)
            {
                return _inActive.Count;
            }
        }
    }

    public int BackoffCount
    {
        get
        {
            lock (_lock)
            {
                return _backoff.Count;
            }
        }
    }

    public int UnschedulableCount
    {
        get
        {
            lock (_lock)
            {
                return _unschedulable.Count;
            }
        }
    }

    public bool IsUnschedulable(string key)
    {
        lock (_lock)
        {
            return _unschedulable.ContainsKey(key);
        }
    }

    /// <summary>
    /// A pending pod appeared or changed. A new pod goes to the active heap; a parked pod moves only
    /// when <paramref name="changed"/> (spec or labels; a status-only update, like the scheduler's own
    /// condition, leaves it parked).
    /// </summary>
    public void AddOrUpdate(string key, int priority, bool waitsForPods, bool changed = true)
    {
        var release = false;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry = new Entry();
            }
            else if (!changed)
            {
                return;
            }

            entry.Priority = priority;
            entry.WaitsForPods = waitsForPods;
            if (_inFlight.Contains(key))
            {
                entry.UpdatedInFlight = true;
            }
            else if (_unschedulable.Remove(key))
            {
                release = Requeue(key, entry);
            }
            else if (!_inActive.Contains(key) && !_backoff.ContainsKey(key))
            {
                release = PushActive(key, entry);
            }
        }

        if (release)
        {
            _available.Release();
        }
    }

    /// <summary>The pod is gone, bound, or no longer this scheduler's.</summary>
    public void Delete(string key)
    {
        lock (_lock)
        {
            _inActive.Remove(key);
            _backoff.Remove(key);
            _unschedulable.Remove(key);
            if (!_inFlight.Contains(key))
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>The next pod to schedule and the cycle number of the attempt; the caller must report the outcome.</summary>
    public async Task<(bool Ok, string Key, long Cycle)> PopAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await _available.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return (false, "", 0);
            }

            lock (_lock)
            {
                while (_active.TryDequeue(out var key, out _))
                {
                    if (_inActive.Remove(key))
                    {
                        _inFlight.Add(key);
                        if (_entries.TryGetValue(key, out var entry))
                        {
                            entry.UpdatedInFlight = false;
                        }

                        return (true, key, ++_schedulingCycle);
                    }
                }
            }
        }
    }

    /// <summary>The attempt ended without a retry (scheduled, or the pod no longer needs scheduling).</summary>
    public void Done(string key)
    {
        lock (_lock)
        {
            _inFlight.Remove(key);
            if (!_inActive.Contains(key) && !_backoff.ContainsKey(key) && !_unschedulable.ContainsKey(key))
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>No node fits: park the pod until the cluster changes (or back it off if it already did).</summary>
    public void AddUnschedulable(string key, long cycle)
    {
        var release = false;
        lock (_lock)
        {
            _inFlight.Remove(key);
            if (!_entries.TryGetValue(key, out var entry) || _inActive.Contains(key) || _backoff.ContainsKey(key))
            {
                return; // deleted meanwhile, or already queued again
            }

            entry.Attempts++;
            entry.LastFailure = time.GetUtcNow();
            if (_moveRequestCycle >= cycle || entry.UpdatedInFlight)
            {
                release = Requeue(key, entry);
            }
            else
            {
                _unschedulable[key] = entry.LastFailure;
            }
        }

        if (release)
        {
            _available.Release();
        }
    }

    /// <summary>The attempt failed for a reason other than fit (a bind error): retry after back-off.</summary>
    public void AddBackoff(string key, int priority)
    {
        lock (_lock)
        {
            _inFlight.Remove(key);
            if (_inActive.Contains(key) || _backoff.ContainsKey(key))
            {
                return;
            }

            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry = new Entry { Priority = priority };
            }

            _unschedulable.Remove(key);
            entry.Attempts++;
            entry.LastFailure = time.GetUtcNow();
            _backoff[key] = entry.LastFailure + Backoff(entry.Attempts);
        }
    }

    /// <summary>
    /// Something changed that may let parked pods fit: each goes to the active heap, or to back-off
    /// if its back-off has not expired. <paramref name="onlyWaitingForPods"/> limits the move to pods
    /// with required pod affinity (a pod was added).
    /// </summary>
    public void MoveAllToActiveOrBackoff(bool onlyWaitingForPods = false)
    {
        var released = 0;
        lock (_lock)
        {
            _moveRequestCycle = _schedulingCycle;
            if (_unschedulable.Count == 0)
            {
                return;
            }

            foreach (var key in _unschedulable.Keys.ToList())
            {
                var entry = _entries[key];
                if (onlyWaitingForPods && !entry.WaitsForPods)
                {
                    continue;
                }

                _unschedulable.Remove(key);
                released += Requeue(key, entry) ? 1 : 0;
            }
        }

        if (released > 0)
        {
            _available.Release(released);
        }
    }

    /// <summary>Moves pods whose back-off expired to the active heap and retries pods parked too long. Called every second.</summary>
    public void Flush()
    {
        var released = 0;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var (key, ready) in _backoff.ToList())
            {
                if (ready <= now)
                {
                    _backoff.Remove(key);
                    released += PushActive(key, _entries[key]) ? 1 : 0;
                }
            }

            foreach (var (key, since) in _unschedulable.ToList())
            {
                if (now - since >= options.MaxInUnschedulable)
                {
                    _unschedulable.Remove(key);
                    released += Requeue(key, _entries[key]) ? 1 : 0;
                }
            }
        }

        if (released > 0)
        {
            _available.Release(released);
        }
    }

    public TimeSpan Backoff(int attempts)
    {
        var ticks = options.PodInitialBackoff.Ticks * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return ticks >= options.PodMaxBackoff.Ticks ? options.PodMaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Active if its back-off has expired, else back-off. True when the active heap grew.</summary>
    private bool Requeue(string key, Entry entry)
    {
        var ready = entry.LastFailure + Backoff(entry.Attempts);
        if (entry.Attempts > 0 && ready > time.GetUtcNow())
        {
            _backoff[key] = ready;
            return false;
        }

        return PushActive(key, entry);
    }

    private bool PushActive(string key, Entry entry)
    {
        if (!_inActive.Add(key))
        {
            return false;
        }

        _active.Enqueue(key, (-entry.Priority, _seq++));
        return true;
    }
}
