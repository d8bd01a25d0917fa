namespace KubeWeb.Controllers.Apps;

/// <summary>
/// What a controller has asked the API to do and not yet seen in its informer (upstream
/// UIDTrackingControllerExpectations): while creations or deletions are outstanding the controller
/// does not act on its (stale) cache again, so it never over-creates. Expectations expire after
/// five minutes so a lost watch event cannot wedge a controller. Thread-safe.
/// </summary>
internal sealed class ControllerExpectations(TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>True when nothing is outstanding (or the expectation expired): the controller may sync.</summary>
    public bool Satisfied(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var e))
            {
                return true;
            }

            return (e.Adds <= 0 && e.Deletes.Count == 0) || time.GetUtcNow() - e.SetAt > Timeout;
        }
    }

    public void ExpectCreations(string key, int count)
    {
        lock (_lock)
        {
            _entries[key] = new Entry(count, new HashSet<string>(StringComparer.Ordinal), time.GetUtcNow());
        }
    }

    public void ExpectDeletions(string key, IEnumerable<string> podKeys)
    {
        lock (_lock)
        {
            _entries[key] = new Entry(0, new HashSet<string>(podKeys, StringComparer.Ordinal), time.GetUtcNow());
        }
    }

    public void CreationObserved(string key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                _entries[key] = e with { Adds = e.Adds - 1 };
            }
        }
    }

    public void DeletionObserved(string key, string podKey)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                e.Deletes.Remove(podKey);
            }
        }
    }

    public void Forget(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>Outstanding (adds, deletes), for tests and diagnostics.</summary>
    public (int Adds, int Deletes) Pending(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var e) ? (e.Adds, e.Deletes.Count) : (0, 0);
        }
    }

    private sealed record Entry(int Adds, HashSet<string> Deletes, DateTimeOffset SetAt);
}
