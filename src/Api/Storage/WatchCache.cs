using System.Threading.Channels;

namespace KubeWeb.Api.Storage;

/// <summary>
/// Every object in memory plus the recent change history, like kube-apiserver's cacher. Fed only
/// by the store's writer after each commit, in revision order; serves GET, LIST and WATCH. All state
/// changes happen under one lock so a watch registers at an exact revision: it gets every later
/// event once, none twice.
/// <para>
/// Memory: current objects are held encoded and decoded. The history is bounded by event count and
/// by the bytes of its encodings (older events in the compaction window are read from the log), and
/// a version that is no longer current keeps only its bytes once <see cref="DecodedHistory"/> newer
/// events followed it: watchers read fresh events while they are still decoded, and the few that
/// need an older one decoded (selectors, tables) decode it again.
/// </para>
/// </summary>
internal sealed class WatchCache
{
    /// <summary>How many of the newest events keep their superseded and deleted versions decoded.</summary>
    internal const int DecodedHistory = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, StoredObject>> _objects = [];
    private readonly Dictionary<string, Watcher[]> _watchers = [];
    private readonly StoreEvent[] _history;
    private readonly long _historyBytesLimit;
    private readonly int _watcherBuffer;
    private readonly ObjectCodec _codec;
    private int _historyStart;
    private int _historyCount;
    private long _historyBytes;

    public WatchCache(int historyCapacity, long historyBytes, int watcherBuffer, ObjectCodec codec)
    {
        _history = new StoreEvent[Math.Max(historyCapacity, 16)];
        _historyBytesLimit = historyBytes;
        _watcherBuffer = watcherBuffer;
        _codec = codec;
    }

    /// <summary>The revision of the last applied commit.</summary>
    public long Revision { get; private set; }

    /// <summary>Events at or below this revision are gone from the log: watches from there get 410.</summary>
    public long CompactedRevision { get; private set; }

    /// <summary>Events in memory and the bytes of their encodings.</summary>
    public (int Events, long Bytes) HistorySize
    {
        get
        {
            lock (_lock)
            {
                return (_historyCount, _historyBytes);
            }
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Values.Sum(w => w.Length);
            }
        }
    }

    public void Load(IEnumerable<StoredObject> objects, IEnumerable<StoreEvent> history, long revision, long compactedRevision)
    {
        lock (_lock)
        {
            foreach (var o in objects)
            {
                Bucket(o.Resource)[o.Key] = o;
            }

            foreach (var e in history)
            {
                AppendHistory(e);
            }

            Revision = revision;
            CompactedRevision = compactedRevision;
        }
    }

    public StoredObject? Get(string resource, string ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(resource, out var b) && b.TryGetValue(ns.Length == 0 ? name : ns + "/" + name, out var o) ? o : null;
        }
    }

    /// <summary>A consistent copy of a resource's objects (optionally one namespace) and the revision it reflects.</summary>
    public (List<StoredObject> Items, long Revision) List(string resource, string? ns)
    {
        lock (_lock)
        {
            var items = new List<StoredObject>();
            if (_objects.TryGetValue(resource, out var b))
            {
                foreach (var o in b.Values)
                {
                    if (ns is null || o.Namespace == ns)
                    {
                        items.Add(o);
                    }
                }
            }

            return (items, Revision);
        }
    }

    /// <summary>Counts objects of a resource in a namespace (namespace deletion, quota).</summary>
    public int Count(string resource, string ns)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(resource, out var b) ? b.Values.Count(o => o.Namespace == ns) : 0;
        }
    }

    public IReadOnlyList<string> Resources()
    {
        lock (_lock)
        {
            return [.. _objects.Keys];
        }
    }

    /// <summary>Applies one committed batch (events in revision order) and fans it out to watchers.</summary>
    public void Apply(IReadOnlyList<StoreEvent> events, long revision)
    {
        lock (_lock)
        {
            foreach (var e in events)
            {
                var bucket = Bucket(e.Object.Resource);
                if (e.Type == WatchEventType.Deleted)
                {
                    bucket.Remove(e.Object.Key);
                }
                else
                {
                    bucket[e.Object.Key] = e.Object;
                }

                AppendHistory(e);
                if (_watchers.TryGetValue(e.Object.Resource, out var watchers))
                {
                    foreach (var w in watchers)
                    {
                        if (!w.Channel.Writer.TryWrite(e))
                        {
                            // Too slow: end the watch; the client re-lists, as with kube-apiserver's cacher.
                            w.Channel.Writer.TryComplete(new WatcherTooSlowException());
                        }
                    }
                }
            }

            Revision = revision;
        }
    }

    /// <summary>
    /// Registers a watcher at <paramref name="fromRevision"/> (exclusive). The result carries the
    /// events between that revision and now that are still in memory; when older events are needed
    /// <see cref="WatchRegistration.LogFrom"/>..<see cref="WatchRegistration.LogTo"/> must be read from the log first.
    /// For <paramref name="fromRevision"/> 0 the caller sends the current state (<see cref="WatchRegistration.Initial"/>).
    /// </summary>
    public WatchRegistration Register(string resource, long fromRevision)
    {
        lock (_lock)
        {
            var watcher = new Watcher(resource, Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(_watcherBuffer)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            }));

            if (fromRevision > 0 && fromRevision < CompactedRevision)
            {
                return WatchRegistration.Expired(CompactedRevision);
            }

            if (fromRevision > Revision)
            {
                return WatchRegistration.TooLarge(Revision);
            }

            var registration = new WatchRegistration(watcher, Revision);
            if (fromRevision == 0)
            {
                if (_objects.TryGetValue(resource, out var b))
                {
                    registration.Initial.AddRange(b.Values);
                }
            }
            else
            {
                var oldestInMemory = _historyCount == 0 ? Revision + 1 : _history[_historyStart].Revision;
                if (fromRevision + 1 < oldestInMemory)
                {
                    registration.LogFrom = fromRevision;
                    registration.LogTo = oldestInMemory - 1;
                }

                for (var i = 0; i < _historyCount; i++)
                {
                    var e = _history[(_historyStart + i) % _history.Length];
                    if (e.Revision > fromRevision && e.Object.Resource == resource)
                    {
                        registration.Backlog.Add(e);
                    }
                }
            }

            _watchers[resource] = _watchers.TryGetValue(resource, out var existing) ? [.. existing, watcher] : [watcher];
            return registration;
        }
    }

    public void Unregister(Watcher watcher)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(watcher.Resource, out var existing))
            {
                var remaining = existing.Where(w => w != watcher).ToArray();
                if (remaining.Length == 0)
                {
                    _watchers.Remove(watcher.Resource);
                }
                else
                {
                    _watchers[watcher.Resource] = remaining;
                }
            }
        }

        watcher.Channel.Writer.TryComplete();
    }

    /// <summary>Forgets history at or below <paramref name="revision"/> after the log was compacted.</summary>
    public void Compact(long revision)
    {
        lock (_lock)
        {
            while (_historyCount > 0 && _history[_historyStart].Revision <= revision)
            {
                DropOldest();
            }

            CompactedRevision = Math.Max(CompactedRevision, revision);
        }
    }

    private void AppendHistory(StoreEvent e)
    {
        if (_historyCount == _history.Length)
        {
            DropOldest();
        }

        _history[(_historyStart + _historyCount) % _history.Length] = e;
        _historyCount++;
        _historyBytes += e.Object.Json.Length;
        while (_historyBytes > _historyBytesLimit && _historyCount > 1)
        {
            DropOldest();
        }

        if (_historyCount > DecodedHistory)
        {
            // This event's old version (and a deleted object's last state) is no longer current and
            // now DecodedHistory events old: keep only its bytes.
            var aged = _history[(_historyStart + _historyCount - 1 - DecodedHistory) % _history.Length];
            aged.Previous?.ReleaseDecoded(_codec);
            if (aged.Type == WatchEventType.Deleted)
            {
                aged.Object.ReleaseDecoded(_codec);
            }
        }
    }

    private void DropOldest()
    {
        _historyBytes -= _history[_historyStart].Object.Json.Length;
        _history[_historyStart] = null!;
        _historyStart = (_historyStart + 1) % _history.Length;
        _historyCount--;
    }

    private Dictionary<string, StoredObject> Bucket(string resource)
    {
        if (!_objects.TryGetValue(resource, out var b))
        {
            b = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
            _objects[resource] = b;
        }

        return b;
    }
}

internal sealed class Watcher(string resource, Channel<StoreEvent> channel)
{
    public string Resource { get; } = resource;

    public Channel<StoreEvent> Channel { get; } = channel;
}

internal sealed class WatchRegistration
{
    public WatchRegistration(Watcher? watcher, long revision)
    {
        Watcher = watcher;
        Revision = revision;
    }

    public Watcher? Watcher { get; }

    /// <summary>The cache revision at registration.</summary>
    public long Revision { get; }

    /// <summary>Set when the start revision is compacted: answer 410 Gone.</summary>
    public bool IsExpired { get; private init; }

    /// <summary>Set when the start revision is in the future.</summary>
    public bool IsTooLarge { get; private init; }

    public List<StoredObject> Initial { get; } = [];

    public List<StoreEvent> Backlog { get; } = [];

    public long LogFrom { get; set; }

    public long LogTo { get; set; }

    public static WatchRegistration Expired(long compacted) => new(null, compacted) { IsExpired = true };

    public static WatchRegistration TooLarge(long current) => new(null, current) { IsTooLarge = true };
}

internal sealed class WatcherTooSlowException() : Exception("watcher fell too far behind and was closed");
