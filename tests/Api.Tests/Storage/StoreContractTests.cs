using k8s.Models;
using KubeWeb.Api.Storage;
using KubeWeb.Core.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>
/// What every datastore must do for <see cref="ObjectStore"/>. The same tests run once per engine
/// (see the subclasses), each test against its own fresh database, with the store built directly
/// from its parts the way the host composes it.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected const string ConfigMaps = "configmaps";
    protected const string Secrets = "secrets";
    protected const string Ns = "default";
    protected static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private readonly List<ObjectStore> _stores = [];

    protected abstract DatastoreKind Kind { get; }

    /// <summary>This test's own database.</summary>
    protected string ConnectionString { get; private set; } = "";

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected abstract Task<string> CreateDatabaseAsync();

    /// <summary>Makes the database unreachable for writes (the store is already running on it).</summary>
    protected abstract Task TakeDatabaseDownAsync();

    protected abstract Task BringDatabaseBackAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => ConnectionString = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await CleanupAsync();
    }

    protected StoreOptions NewOptions() => new() { Kind = Kind, ConnectionString = ConnectionString };

    protected async Task<ObjectStore> StartStoreAsync(StoreOptions? options = null)
    {
        options ??= NewOptions();
        var store = new ObjectStore(new StoreDbFactory(Kind, options.ConnectionString), options,
            new ObjectCodec(ResourceRegistry.Default), Time, NullLogger<ObjectStore>.Instance);
        await store.StartAsync(CancellationToken.None);
        _stores.Add(store);
        return store;
    }

    /// <summary>Disposes the store as the host does at shutdown.</summary>
    protected async Task StopStoreAsync(ObjectStore store)
    {
        _stores.Remove(store);
        await store.DisposeAsync();
    }

    protected StoreCompactor NewCompactor(ObjectStore store, StoreOptions options) =>
        new(new StoreDbFactory(Kind, options.ConnectionString), store, options, Time, NullLogger<StoreCompactor>.Instance);

    protected static V1ConfigMap ConfigMap(string name, string value = "v") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Uid = Guid.NewGuid().ToString() },
        Data = new Dictionary<string, string> { ["k"] = value },
    };

    protected static V1Secret Secret(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Uid = Guid.NewGuid().ToString() },
        StringData = new Dictionary<string, string> { ["k"] = "s" },
    };

    /// <summary>A private copy of a stored ConfigMap with a new value, ready for UpdateAsync.</summary>
    protected static V1ConfigMap Changed(ObjectStore store, StoredObject stored, string value)
    {
        var copy = (V1ConfigMap)store.Codec.Copy(stored);
        copy.Data["k"] = value;
        return copy;
    }

    protected static string ValueOf(StoredObject stored) => ((V1ConfigMap)stored.Object).Data["k"];

    protected async Task<CounterRow> ReadCounterAsync()
    {
        await using var ctx = new StoreDbFactory(Kind, ConnectionString).CreateDbContext();
        return await ctx.Counter.AsNoTracking().SingleAsync();
    }

    protected async Task<List<RevisionRow>> ReadLogAsync()
    {
        await using var ctx = new StoreDbFactory(Kind, ConnectionString).CreateDbContext();
        return await ctx.Revisions.AsNoTracking().OrderBy(r => r.Revision).ToListAsync();
    }

    protected async Task<ObjectRow?> ReadRowAsync(string resource, string name)
    {
        await using var ctx = new StoreDbFactory(Kind, ConnectionString).CreateDbContext();
        return await ctx.Objects.AsNoTracking().SingleOrDefaultAsync(o => o.Resource == resource && o.Namespace == Ns && o.Name == name);
    }

    [Fact]
    public async Task Create_AssignsStrictlyIncreasingResourceVersions()
    {
        var store = await StartStoreAsync();
        var last = store.Revision;
        for (var i = 0; i < 20; i++)
        {
            var created = await store.CreateAsync(ConfigMaps, ConfigMap($"cm-{i}"), CancellationToken.None);
            Assert.True(created.ResourceVersion > last, $"revision {created.ResourceVersion} after {last}");
            Assert.Equal(created.ResourceVersion.ToString(), created.Object.Metadata.ResourceVersion);
            Assert.Same(created, store.Get(ConfigMaps, Ns, $"cm-{i}"));
            last = created.ResourceVersion;
        }

        Assert.Equal(last, store.Revision);
        Assert.Equal(last, (await ReadCounterAsync()).Revision);
        Assert.Equal(last, (await ReadRowAsync(ConfigMaps, "cm-19"))!.ResourceVersion);
    }

    [Fact]
    public async Task Create_OfAnExistingKey_ThrowsAlreadyExists()
    {
        var store = await StartStoreAsync();
        var first = await store.CreateAsync(ConfigMaps, ConfigMap("a", "first"), CancellationToken.None);

        await Assert.ThrowsAsync<StoreAlreadyExistsException>(() => store.CreateAsync(ConfigMaps, ConfigMap("a", "second"), CancellationToken.None));

        Assert.Equal("first", ValueOf(store.Get(ConfigMaps, Ns, "a")!));
        Assert.Equal(first.ResourceVersion, store.Revision);
        Assert.Equal(first.ResourceVersion, (await ReadCounterAsync()).Revision);
        Assert.Contains("first", (await ReadRowAsync(ConfigMaps, "a"))!.Value);
    }

    [Fact]
    public async Task Create_OfTheSameNameInAnotherResource_IsIndependent()
    {
        var store = await StartStoreAsync();
        await store.CreateAsync(ConfigMaps, ConfigMap("same"), CancellationToken.None);
        await store.CreateAsync(Secrets, Secret("same"), CancellationToken.None);

        Assert.Single(store.List(ConfigMaps, Ns).Items);
        Assert.Single(store.List(Secrets, Ns).Items);
    }

    [Fact]
    public async Task Update_WithStaleExpectedRevision_ThrowsConflict_AndLeavesTheObjectUnchanged()
    {
        var store = await StartStoreAsync();
        var v1 = await store.CreateAsync(ConfigMaps, ConfigMap("a", "one"), CancellationToken.None);
        var v2 = await store.UpdateAsync(ConfigMaps, Changed(store, v1, "two"), v1.ResourceVersion, CancellationToken.None);
        Assert.Equal(v1.ResourceVersion + 1, v2.ResourceVersion);

        await Assert.ThrowsAsync<StoreConflictException>(() =>
            store.UpdateAsync(ConfigMaps, Changed(store, v1, "stale"), v1.ResourceVersion, CancellationToken.None));

        var current = store.Get(ConfigMaps, Ns, "a")!;
        Assert.Equal(v2.ResourceVersion, current.ResourceVersion);
        Assert.Equal("two", ValueOf(current));
        var row = (await ReadRowAsync(ConfigMaps, "a"))!;
        Assert.Equal(v2.ResourceVersion, row.ResourceVersion);
        Assert.DoesNotContain("stale", row.Value);
        Assert.Equal(v2.ResourceVersion, (await ReadCounterAsync()).Revision);
    }

    [Fact]
    public async Task Update_OfAMissingObject_ThrowsNotFound()
    {
        var store = await StartStoreAsync();
        await Assert.ThrowsAsync<StoreNotFoundException>(() => store.UpdateAsync(ConfigMaps, ConfigMap("nope"), 0, CancellationToken.None));
        Assert.Null(await ReadRowAsync(ConfigMaps, "nope"));
    }

    [Fact]
    public async Task Delete_ReturnsTheLastStateStampedWithANewRevision()
    {
        var store = await StartStoreAsync();
        var v1 = await store.CreateAsync(ConfigMaps, ConfigMap("a", "one"), CancellationToken.None);
        var v2 = await store.UpdateAsync(ConfigMaps, Changed(store, v1, "last"), v1.ResourceVersion, CancellationToken.None);

        var deleted = await store.DeleteAsync(ConfigMaps, Ns, "a", v2.ResourceVersion, CancellationToken.None);

        Assert.Equal(v2.ResourceVersion + 1, deleted.ResourceVersion);
        Assert.Equal(deleted.ResourceVersion.ToString(), deleted.Object.Metadata.ResourceVersion);
        Assert.Equal("last", ValueOf(deleted));
        Assert.Equal(v1.Object.Metadata.Uid, deleted.Object.Metadata.Uid);
        Assert.Null(store.Get(ConfigMaps, Ns, "a"));
        Assert.Null(await ReadRowAsync(ConfigMaps, "a"));
        var entry = (await ReadLogAsync())[^1];
        Assert.Equal((deleted.ResourceVersion, (short)WatchEventType.Deleted), (entry.Revision, entry.Type));
        Assert.Equal(deleted.ResourceVersion, (await ReadCounterAsync()).Revision);
    }

    [Fact]
    public async Task Delete_WithStaleExpectedRevision_ThrowsConflict_AndKeepsTheObject()
    {
        var store = await StartStoreAsync();
        var v1 = await store.CreateAsync(ConfigMaps, ConfigMap("a", "one"), CancellationToken.None);
        await store.UpdateAsync(ConfigMaps, Changed(store, v1, "two"), v1.ResourceVersion, CancellationToken.None);

        await Assert.ThrowsAsync<StoreConflictException>(() => store.DeleteAsync(ConfigMaps, Ns, "a", v1.ResourceVersion, CancellationToken.None));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => store.DeleteAsync(ConfigMaps, Ns, "missing", 0, CancellationToken.None));

        Assert.NotNull(store.Get(ConfigMaps, Ns, "a"));
        Assert.NotNull(await ReadRowAsync(ConfigMaps, "a"));
    }

    [Fact]
    public async Task ConcurrentCreates_FromManyTasks_AllCommitWithUniqueGapFreeRevisions()
    {
        var store = await StartStoreAsync();
        var start = store.Revision;
        const int Tasks = 64, PerTask = 20;

        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < PerTask; i++)
            {
                mine.Add((await store.CreateAsync(ConfigMaps, ConfigMap($"t{t}-{i}"), CancellationToken.None)).ResourceVersion);
            }

            return mine;
        })));

        var revisions = results.SelectMany(r => r).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Tasks * PerTask).Select(i => start + i), revisions);
        foreach (var mine in results)
        {
            Assert.Equal(mine.Order(), mine); // each task's own writes commit in its order
        }

        var counter = await ReadCounterAsync();
        Assert.Equal(revisions[^1], counter.Revision);
        Assert.Equal(revisions[^1], store.Revision);
        Assert.Equal(revisions, (await ReadLogAsync()).Select(r => r.Revision).Where(r => r > start));
        Assert.Equal(Tasks * PerTask, store.List(ConfigMaps, Ns).Items.Count);
    }

    [Fact]
    public async Task FailedWritesInABatch_DoNotFailTheOthers_NorConsumeRevisions()
    {
        var store = await StartStoreAsync();
        var taken = new List<StoredObject>();
        for (var i = 0; i < 20; i++)
        {
            taken.Add(await store.CreateAsync(ConfigMaps, ConfigMap($"taken-{i}"), CancellationToken.None));
        }

        var stale = new List<V1ConfigMap>();
        foreach (var t in taken)
        {
            stale.Add(Changed(store, t, "stale"));
            await store.UpdateAsync(ConfigMaps, Changed(store, t, "fresh"), t.ResourceVersion, CancellationToken.None);
        }

        var start = store.Revision;

        // Enqueued without awaiting, so the writer takes them in as few batches as it can.
        var good = new List<Task<StoredObject>>();
        var duplicate = new List<Task<StoredObject>>();
        var conflict = new List<Task<StoredObject>>();
        var missing = new List<Task<StoredObject>>();
        for (var i = 0; i < 200; i++)
        {
            good.Add(store.CreateAsync(ConfigMaps, ConfigMap($"new-{i}"), CancellationToken.None));
            if (i % 10 == 0)
            {
                duplicate.Add(store.CreateAsync(ConfigMaps, ConfigMap($"taken-{i / 10}"), CancellationToken.None));
                conflict.Add(store.UpdateAsync(ConfigMaps, stale[i / 10], taken[i / 10].ResourceVersion, CancellationToken.None));
                missing.Add(store.DeleteAsync(ConfigMaps, Ns, $"missing-{i}", 0, CancellationToken.None));
            }
        }

        var committed = await Task.WhenAll(good);
        foreach (var t in duplicate)
        {
            await Assert.ThrowsAsync<StoreAlreadyExistsException>(() => t);
        }

        foreach (var t in conflict)
        {
            await Assert.ThrowsAsync<StoreConflictException>(() => t);
        }

        foreach (var t in missing)
        {
            await Assert.ThrowsAsync<StoreNotFoundException>(() => t);
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => start + i), committed.Select(c => c.ResourceVersion).Order());
        Assert.Equal(start + 200, (await ReadCounterAsync()).Revision);
        Assert.All(store.List(ConfigMaps, Ns).Items.Where(o => o.Name.StartsWith("taken-", StringComparison.Ordinal)),
            o => Assert.Equal("fresh", ValueOf(o)));
    }

    [Fact]
    public async Task AValueTheDatabaseRejects_FailsOnlyItsOwnWrite()
    {
        var store = await StartStoreAsync();

        // PostgreSQL's jsonb cannot hold \u0000; Kubernetes allows it in a ConfigMap value.
        var good = Enumerable.Range(0, 100).Select(i => store.CreateAsync(ConfigMaps, ConfigMap($"good-{i}"), CancellationToken.None)).ToList();
        var odd = store.CreateAsync(ConfigMaps, ConfigMap("nul", "a\0b"), CancellationToken.None);
        good.AddRange(Enumerable.Range(100, 100).Select(i => store.CreateAsync(ConfigMaps, ConfigMap($"good-{i}"), CancellationToken.None)));

        var committed = await Task.WhenAll(good);
        Assert.Equal(200, committed.Length);
        try
        {
            var stored = await odd;
            Assert.Equal("a\0b", ValueOf(stored));
        }
        catch (StoreException)
        {
            Assert.Null(store.Get(ConfigMaps, Ns, "nul"));
        }

        Assert.Equal(store.Revision, (await ReadCounterAsync()).Revision);
    }
}
