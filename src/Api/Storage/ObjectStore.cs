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
    private int _disposed;
    private Task? _writerLoop;

    public ObjectStore(IDbContextFactory<KubeDbContext> contexts, StoreOptions options, ObjectCodec codec, TimeProvider time, ILogger<ObjectStore> log)
    {
        _contexts = contexts;
        _options = options;
        _dialect = SqlDialect.For(options.Kind);
        _time = time;
        _log = log;
        Codec = codec;
        Cache = new WatchCache(options.HistoryCapacity, options.WatcherBuffer);
    }

    public ObjectCodec Codec { get; }

    internal WatchCache Cache { get; }

    public long Revision => Cache.Revision;

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
            Cache.Load(objects, history.Select(ToEvent), counter.Revision, counter.CompactedRevision);
            LogLoaded(objects.Count, counter.Revision);
        }

        _writerLoop = Task.Run(() => WriterLoopAsync(_stopping.Token), CancellationToken.None);
    }

    public StoredObject? Get(string resource, string ns, string name) => Cache.Get(resource, ns, name);

    public (List<StoredObject> Items, long Revision) List(string resource, string? ns) => Cache.List(resource, ns);

    public Task<StoredObject> CreateAsync(string resource, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct) =>
        Enqueue(new PendingWrite(WriteKind.Create, resource, obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name, obj, 0), ct);

    /// <summary>Replaces the object if its stored resourceVersion is still <paramref name="expectedRevision"/>.</summary>
    public Task<StoredObject> UpdateAsync(string resource, IKubernetesObject<V1ObjectMeta> obj, long expectedRevision, CancellationToken ct) =>
        Enqueue(new PendingWrite(WriteKind.Update, resource, obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name, obj, expectedRevision), ct);

    /// <summary>Removes the object if its stored resourceVersion is still <paramref name="expectedRevision"/>; returns its last state.</summary>
    public Task<StoredObject> DeleteAsync(string resource, string ns, string name, long expectedRevision, CancellationToken ct) =>
        Enqueue(new PendingWrite(WriteKind.Delete, resource, ns, name, null, expectedRevision), ct);

    /// <summary>Reads committed events of one resource in (from, to] from the log (for watches older than memory).</summary>
    internal async Task<List<StoreEvent>> ReadLogAsync(string resource, long from, long to, CancellationToken ct)
    {
        await using var ctx = await _contexts.CreateDbContextAsync(ct);
        var rows = await ctx.Revisions.AsNoTracking()
            .Where(r => r.Revision > from && r.Revision <= to && r.Resource == resource)
            .OrderBy(r => r.Revision).ToListAsync(ct);
        return [.. rows.Select(ToEvent)];
    }

    public async ValueTask DisposeAsync()
    {
        // Called twice on every shutdown: by ApiBootstrapper.StopAsync and by the DI container.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
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
        KubeDbContext? ctx = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var w))
                {
                    batch.Add(w);
                }

                try
                {
                    ctx ??= await OpenWriterContextAsync(ct);
                    await CommitAsync(ctx, batch, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogCommitFailed(e, batch.Count);
                    var error = new StoreUnavailableException($"the datastore rejected the write: {e.Message}", e);
                    foreach (var w in batch)
                    {
                        w.Completion.TrySetException(error);
                    }

                    if (ctx is not null)
                    {
                        await ctx.DisposeAsync();
                        ctx = null;
                    }
                }
            }
        }
        finally
        {
            if (ctx is not null)
            {
                await ctx.DisposeAsync();
            }
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
            Object = Codec.Decode(resource, json),
        };
    }

    private StoreEvent ToEvent(RevisionRow r) =>
        new((WatchEventType)r.Type, ToStored(r.Resource, r.Namespace, r.Name, r.Revision, r.Value), null);

    [LoggerMessage(LogLevel.Information, "Store loaded {Count} objects at revision {Revision}")]
    private partial void LogLoaded(int count, long revision);

    [LoggerMessage(LogLevel.Error, "Committing a batch of {Count} writes failed; every write in it was rejected")]
    private partial void LogCommitFailed(Exception e, int count);

    private enum WriteKind
    {
        Create,
        Update,
        Delete,
    }

    private sealed record PendingWrite(WriteKind Kind, string Resource, string Namespace, string Name, IKubernetesObject<V1ObjectMeta>? Object, long Expected)
    {
        public TaskCompletionSource<StoredObject> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Key => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
    }
}
