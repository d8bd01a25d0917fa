using KubeWeb.Api.Storage;

namespace KubeWeb.Api.Tests.Storage;

public abstract partial class StoreContractTests
{
    /// <summary>Writes to ConfigMaps (and a Secret now and then, which a ConfigMap watch must not see).</summary>
    private static async Task<List<StoredObject>> ChurnAsync(ObjectStore store, string prefix, int objects, int rounds)
    {
        var committed = new List<StoredObject>();
        var current = new StoredObject[objects];
        for (var i = 0; i < objects; i++)
        {
            current[i] = await store.CreateAsync(ConfigMaps, ConfigMap($"{prefix}-{i}", "0"), CancellationToken.None);
            committed.Add(current[i]);
        }

        for (var r = 1; r <= rounds; r++)
        {
            var updates = await Task.WhenAll(current.Select(c =>
                store.UpdateAsync(ConfigMaps, Changed(store, c, r.ToString()), c.ResourceVersion, CancellationToken.None)));
            updates.CopyTo(current, 0);
            committed.AddRange(updates);
            await store.CreateAsync(Secrets, Secret($"{prefix}-s{r}"), CancellationToken.None);
        }

        committed.Add(await store.DeleteAsync(ConfigMaps, Ns, $"{prefix}-0", 0, CancellationToken.None));
        return committed;
    }

    private static async Task<long> LastRevision(Task<List<StoredObject>> writes) => (await writes)[^1].ResourceVersion;

    private static void AssertExactlyOnce(IEnumerable<StoredObject> committed, long from, List<StoreEvent> seen)
    {
        var expected = committed.Where(c => c.ResourceVersion > from).Select(c => c.ResourceVersion).Order().ToList();
        Assert.Equal(expected, seen.Select(e => e.Revision));
        Assert.All(seen, e => Assert.Equal(ConfigMaps, e.Object.Resource));
        if (seen.Count > 0)
        {
            Assert.Equal(WatchEventType.Deleted, seen[^1].Type);
        }
    }

    [Fact]
    public async Task Watch_FromARevision_SeesEveryLaterEventExactlyOnce_WhileWritesContinue()
    {
        var store = await StartStoreAsync();
        var before = await ChurnAsync(store, "early", 10, 3);
        var from = before[15].ResourceVersion;

        // Register while another task is committing, so the registration races live commits.
        var writes = Task.Run(() => ChurnAsync(store, "late", 20, 10));
        await Task.Delay(20);
        var seen = await WatchProbe.CollectAsync(store, ConfigMaps, from, LastRevision(writes), WaitLimit);

        AssertExactlyOnce(before.Concat(await writes), from, seen);
    }

    [Fact]
    public async Task Watch_RegisteredDuringWrites_NeitherMissesNorRepeatsEvents()
    {
        var store = await StartStoreAsync();
        await ChurnAsync(store, "seed", 5, 1);
        var writes = Task.Run(() => ChurnAsync(store, "live", 30, 15));

        // Start watches at whatever revision the store is at while the writes are in flight.
        var watches = new List<(long From, Task<List<StoreEvent>> Events)>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(15);
            var from = store.Revision;
            watches.Add((from, WatchProbe.CollectAsync(store, ConfigMaps, from, LastRevision(writes), WaitLimit)));
        }

        var committed = await writes;
        foreach (var (from, events) in watches)
        {
            AssertExactlyOnce(committed, from, await events);
        }
    }

    [Fact]
    public async Task Watch_FromOlderThanMemory_ReadsTheLogThenMemory()
    {
        var options = NewOptions();
        options.HistoryCapacity = 16;
        var store = await StartStoreAsync(options);
        var committed = await ChurnAsync(store, "a", 10, 20);
        var from = committed[5].ResourceVersion;

        var registration = store.Cache.Register(ConfigMaps, from);
        store.Cache.Unregister(registration.Watcher!);
        Assert.True(registration.LogTo > registration.LogFrom, "the test must exercise the log path");

        var seen = await WatchProbe.CollectAsync(store, ConfigMaps, from, committed[^1].ResourceVersion, WaitLimit);
        AssertExactlyOnce(committed, from, seen);
    }

    [Fact]
    public async Task Watch_FromARevisionBeforeARestart_SeesEveryEventAfterIt()
    {
        var options = NewOptions();
        options.HistoryCapacity = 16;
        var store = await StartStoreAsync(options);
        var committed = await ChurnAsync(store, "a", 10, 10);
        var from = committed[3].ResourceVersion;
        await StopStoreAsync(store);

        store = await StartStoreAsync(options);
        var seen = await WatchProbe.CollectAsync(store, ConfigMaps, from, committed[^1].ResourceVersion, WaitLimit);
        AssertExactlyOnce(committed, from, seen);

        // And events after the restart follow on.
        var more = await ChurnAsync(store, "b", 5, 2);
        seen = await WatchProbe.CollectAsync(store, ConfigMaps, from, more[^1].ResourceVersion, WaitLimit);
        AssertExactlyOnce(committed.Concat(more), from, seen);
    }

    [Fact]
    public async Task Compaction_RemovesRevisionsPastRetention_AndOlderWatchesExpire()
    {
        var options = NewOptions();
        options.CompactionRetention = TimeSpan.FromMinutes(5);
        var store = await StartStoreAsync(options);
        var old = await ChurnAsync(store, "old", 10, 5);
        var compactable = store.Revision;
        Time.Advance(TimeSpan.FromMinutes(6));
        var recent = await ChurnAsync(store, "new", 10, 5);

        var compacted = await NewCompactor(store, options).CompactOnceAsync(CancellationToken.None);

        Assert.Equal(compactable, compacted);
        var log = await ReadLogAsync();
        Assert.Equal(compactable + 1, log[0].Revision);
        Assert.Equal(store.Revision, log[^1].Revision);
        Assert.Equal(compactable, (await ReadCounterAsync()).CompactedRevision);
        Assert.True(WatchProbe.IsExpired(store, ConfigMaps, compactable - 1));
        Assert.True(WatchProbe.IsExpired(store, ConfigMaps, old[0].ResourceVersion));
        Assert.False(WatchProbe.IsExpired(store, ConfigMaps, compactable));
        AssertExactlyOnce(recent, compactable,
            await WatchProbe.CollectAsync(store, ConfigMaps, compactable, recent[^1].ResourceVersion, WaitLimit));

        // Objects last written before the cut stay; only their history goes.
        Assert.Equal("5", ValueOf(store.Get(ConfigMaps, Ns, "old-3")!));

        // Nothing newer than the retention is compacted, however often the compactor runs.
        Assert.Equal(compactable, await NewCompactor(store, options).CompactOnceAsync(CancellationToken.None));

        await StopStoreAsync(store);
        store = await StartStoreAsync(options);
        Assert.True(WatchProbe.IsExpired(store, ConfigMaps, compactable - 1));
        Assert.Equal("5", ValueOf(store.Get(ConfigMaps, Ns, "old-3")!));
        AssertExactlyOnce(recent, compactable,
            await WatchProbe.CollectAsync(store, ConfigMaps, compactable, recent[^1].ResourceVersion, WaitLimit));
    }

    [Fact]
    public async Task Compaction_WithSmallHistory_DoesNotLetAWatchSkipCompactedEvents()
    {
        var options = NewOptions();
        options.HistoryCapacity = 16;
        var store = await StartStoreAsync(options);
        await ChurnAsync(store, "old", 10, 5);
        var compactable = store.Revision;
        Time.Advance(TimeSpan.FromMinutes(10));
        var recent = await ChurnAsync(store, "new", 10, 5);

        Assert.Equal(compactable, await NewCompactor(store, options).CompactOnceAsync(CancellationToken.None));

        Assert.True(WatchProbe.IsExpired(store, ConfigMaps, compactable - 1));
        AssertExactlyOnce(recent, compactable,
            await WatchProbe.CollectAsync(store, ConfigMaps, compactable, recent[^1].ResourceVersion, WaitLimit));
    }
}
