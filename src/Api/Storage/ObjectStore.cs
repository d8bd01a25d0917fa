using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Storage;

/// <summary>
/// The object store: reads come from the in-memory <see cref="WatchCache"/>, writes go through one
/// writer that commits concurrent mutations together (group commit: one transaction, one fsync, one
/// revision-counter update for many writes). Revision order equals commit order because only the
/// writer hands out revisions, inside its transaction.
/// </summary>
public sealed partial class ObjectStore : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly IDbContextFactory<KubeDbContext> _contexts;
    private readonly StoreOptions _options;
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly ILogger<ObjectStore> _log;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writerLoop;

    /// <summary>The writer's open connection; only the writer loop touches it.</summary>
    private KubeDbContext? _writer;

    /// <summary>
    /// Set while a COMMIT is on its way: if it fails, the database may still have committed it (the
    /// reply was lost), and the next batch finds the counter ahead of memory. Only the writer loop touches it.
    /// </summary>
    private bool _commitInDoubt;

    private int _disposed;

    public ObjectStore(IDbContextFactory<KubeDbContext> contexts, StoreOptions options, ObjectCodec codec, TimeProvider time, ILogger<ObjectStore> log)
    {
        _contexts = contexts;
        _options = options;
        _dialect = SqlDialect.For(options.Kind);
        _time = time;
        _log = log;
        Codec = codec;
        Cache = new WatchCache(options.HistoryCapacity, options.HistoryBytes, options.WatcherBuffer, codec);
    }

    public ObjectCodec Codec { get; }

    internal WatchCache Cache { get; }

    public long Revision => Cache.Revision;

    /// <summary>Events in the watch cache's in-memory history and the bytes of their encodings.</summary>
    public (int Events, long Bytes) HistorySize => Cache.HistorySize;

    /// <summary>Creates or migrates the schema, loads every object and the log window, starts the writer.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await using (var ctx = await _contexts.CreateDbContextAsync(ct))
        {
            await ctx.Database.MigrateAsync(ct);
            var counter = await ctx.Counter.AsNoTracking().SingleAsync(c => c.Id == 1, ct);
            var objects = new List<StoredObject>();
            await foreach (var row in ctx.Objects.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
            {
                objects.Add(ToStored(row.Resource, row.Namespace, row.Name, row.ResourceVersion, row.Value));
            }

            var history = await ctx.Revisions.AsNoTracking()
                .Where(r => r.Revision > counter.CompactedRevision)
                .OrderByDescending(r => r.Revision).Take(_options.HistoryCapacity)
                .ToListAsync(ct);
            history.Reverse();
            Cache.Load(objects, history.Select(ToEncodedEvent), counter.Revision, counter.CompactedRevision);
            LogLoaded(objects.Count, counter.Revision);
        }

        _writerLoop = Task.Run(() => WriterLoopAsync(_stopping.Token), CancellationToken.None);
    }

    public StoredObject? Get(string resource, string ns, string name) => Cache.Get(resource, ns, name);

    public (List<StoredObject> Items, long Revision) List(string resource, string? ns) => Cache.List(resource, ns);

    /// <summary>Creates the object; the store sets its metadata.resourceVersion (the object is the store's from here on).</summary>
    public Task<StoredObject> CreateAsync(string resource, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct) =>
        Enqueue(new PendingWrite(WriteKind.Create, resource, obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name, obj, 0, EncodeForWrite(resource, obj)), ct);

    /// <summary>
    /// Replaces the object if its stored resourceVersion is still <paramref name="expectedRevision"/>.
    /// <paramref name="encoded"/>, when given, is <paramref name="obj"/> as <see cref="ObjectCodec.Encode"/>
    /// gives it with a metadata.resourceVersion set (any value: the store stamps the new revision into it).
    /// </summary>
    public Task<StoredObject> UpdateAsync(string resource, IKubernetesObject<V1ObjectMeta> obj, long expectedRevision, CancellationToken ct,
        byte[]? encoded = null) =>
        Enqueue(new PendingWrite(WriteKind.Update, resource, obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name, obj, expectedRevision,
            encoded ?? EncodeForWrite(resource, obj)), ct);

    /// <summary>Removes the object if its stored resourceVersion is still <paramref name="expectedRevision"/>; returns its last state.</summary>
    public Task<StoredObject> DeleteAsync(string resource, string ns, string name, long expectedRevision, CancellationToken ct) =>
        Enqueue(new PendingWrite(WriteKind.Delete, resource, ns, name, null, expectedRevision, null), ct);

    /// <summary>Reads committed events of one resource in (from, to] from the log (for watches older than memory).</summary>
    internal async Task<List<StoreEvent>> ReadLogAsync(string resource, long from, long to, CancellationToken ct)
    {
        await using var ctx = await _contexts.CreateDbContextAsync(ct);
        var rows = await ctx.Revisions.AsNoTracking()
            .Where(r => r.Revision > from && r.Revision <= to && r.Resource == resource)
            .OrderBy(r => r.Revision).ToListAsync(ct);
        return [.. rows.Select(ToEncodedEvent)];
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops the store (ApiBootstrapper.StopAsync) and then the container disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        if (_writerLoop is not null)
        {
            await Task.WhenAny(_writerLoop, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        }

        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    /// <summary>
    /// Encodes a write on the caller's thread, not in the single writer: with a placeholder
    /// resourceVersion that the writer replaces with the revision it hands out (<see cref="RevisionStamp"/>).
    /// </summary>
    private byte[] EncodeForWrite(string resource, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (string.IsNullOrEmpty(obj.Metadata.ResourceVersion))
        {
            obj.Metadata.ResourceVersion = "0";
        }

        return Codec.Encode(resource, obj);
    }

    private async Task<StoredObject> Enqueue(PendingWrite write, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new StoreUnavailableException("the store is shutting down");
        }

        // The write may still commit after the caller gives up; it is not withdrawn.
        return await write.Completion.Task.WaitAsync(ct);
    }

    private async Task WriterLoopAsync(CancellationToken ct)
    {
        var batch = new List<PendingWrite>(_options.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var w))
                {
                    batch.Add(w);
                }

                var error = await TryCommitAsync(batch, ct);
                if (error is not null && batch.Count > 1 && _dialect.RejectsValue(error))
                {
                    // One row the database refuses (PostgreSQL's jsonb rejects \u0000, for one) aborts the
                    // whole transaction. Nothing committed, so commit each write alone: only that one fails.
                    foreach (var w in batch)
                    {
                        if (await TryCommitAsync([w], ct) is { } single)
                        {
                            Fail([w], single);
                        }
                    }
                }
                else if (error is not null)
                {
                    Fail(batch, error);
                }
            }
        }
        finally
        {
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
            }
        }
    }

    /// <summary>Commits a batch on the writer's connection; on failure drops the connection and returns the error.</summary>
    private async Task<Exception?> TryCommitAsync(List<PendingWrite> batch, CancellationToken ct)
    {
        try
        {
            _writer ??= await OpenWriterContextAsync(ct);
            await CommitAsync(_writer, batch, ct);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogCommitFailed(e, batch.Count);
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }

            return e;
        }
    }

    private static void Fail(List<PendingWrite> batch, Exception e)
    {
        var error = new StoreUnavailableException($"the datastore rejected the write: {e.Message}", e);
        foreach (var w in batch)
        {
            w.Completion.TrySetException(error);
        }
    }

    private async Task<KubeDbContext> OpenWriterContextAsync(CancellationToken ct)
    {
        var ctx = await _contexts.CreateDbContextAsync(ct);
        await ctx.Database.OpenConnectionAsync(ct);
        await _dialect.ConfigureAsync(ctx.Database.GetDbConnection(), _options, ct);
        return ctx;
    }

    private StoredObject ToStored(string resource, string ns, string name, long rv, string value)
    {
        var json = Encoding.UTF8.GetBytes(value);
        return new StoredObject
        {
            Resource = resource,
            Namespace = ns,
            Name = name,
            ResourceVersion = rv,
            Json = json,
            Object = Codec.DecodeShared(resource, json),
        };
    }

    private StoreEvent ToEvent(RevisionRow r) =>
        new((WatchEventType)r.Type, ToStored(r.Resource, r.Namespace, r.Name, r.Revision, r.Value), null);

    /// <summary>A log row for the history or a watch: decoded only if a reader needs the object.</summary>
    private StoreEvent ToEncodedEvent(RevisionRow r) =>
        new((WatchEventType)r.Type, StoredObject.Encoded(r.Resource, r.Namespace, r.Name, r.Revision, Encoding.UTF8.GetBytes(r.Value), Codec), null);

    [LoggerMessage(LogLevel.Information, "Store loaded {Count} objects at revision {Revision}")]
    private partial void LogLoaded(int count, long revision);

    [LoggerMessage(LogLevel.Warning, "A commit whose reply was lost had reached the database: caught up from revision {From} to {To} from the log")]
    private partial void LogCaughtUp(long from, long to);

    [LoggerMessage(LogLevel.Error, "Committing a batch of {Count} writes failed; every write in it was rejected")]
    private partial void LogCommitFailed(Exception e, int count);

    private enum WriteKind
    {
        Create,
        Update,
        Delete,
    }

    /// <summary>One queued write; <paramref name="Json"/> is the encoded object (creates and updates) before its revision is stamped.</summary>
    private sealed record PendingWrite(WriteKind Kind, string Resource, string Namespace, string Name, IKubernetesObject<V1ObjectMeta>? Object, long Expected,
        byte[]? Json)
    {
        public TaskCompletionSource<StoredObject> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Key => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
    }
}
