using k8s.Models;
using KubeWeb.Api.Storage;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>What the watch cache keeps in memory: a history bounded by bytes, old versions only as bytes.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task History_OverItsByteLimit_DropsOldestFromMemory_AndWatchesFromThereReadTheLog()
    {
        var options = NewOptions();
        options.HistoryBytes = 4096;
        var store = await StartStoreAsync(options);
        var committed = await ChurnAsync(store, "a", 10, 20);

        var (events, bytes) = store.Cache.HistorySize;
        Assert.InRange(bytes, 1, 4096);
        Assert.InRange(events, 1, committed.Count - 1);

        var from = committed[5].ResourceVersion;
        var registration = store.Cache.Register(ConfigMaps, from);
        store.Cache.Unregister(registration.Watcher!);
        Assert.True(registration.LogTo > registration.LogFrom, "the byte limit must send an old watch to the log");

        var seen = await WatchProbe.CollectAsync(store, ConfigMaps, from, committed[^1].ResourceVersion, WaitLimit);
        AssertExactlyOnce(committed, from, seen);
        var byRevision = committed.ToDictionary(c => c.ResourceVersion);
        Assert.All(seen.Where(e => e.Type != WatchEventType.Deleted), e => Assert.Equal(ValueOf(byRevision[e.Revision]), ValueOf(e.Object)));
    }

    [Fact]
    public async Task History_OldVersions_KeepOnlyTheirBytes_AndStillDecodeToWhatWasCommitted()
    {
        var store = await StartStoreAsync();

        // 40 creates, 30 rounds of 40 updates (and a Secret), one delete: more events than the decoded window.
        var committed = await ChurnAsync(store, "a", 40, 30);
        Assert.True(committed.Count > WatchCache.DecodedHistory + 40);

        var first = committed[0];
        Assert.False(first.IsDecoded, "a version superseded more than the decoded window ago keeps only its bytes");
        Assert.Equal("0", ValueOf(first));
        Assert.Equal("a-0", first.Object.Metadata.Name);

        var current = store.Get(ConfigMaps, Ns, "a-1")!;
        Assert.True(current.IsDecoded, "the current version stays decoded");
        Assert.Equal("30", ValueOf(current));
        Assert.True(committed[^60].IsDecoded, "a recently superseded version stays decoded while watchers catch up");

        // A watch from the oldest event in memory sees each old version (Previous) as it was committed.
        var registration = store.Cache.Register(ConfigMaps, committed[0].ResourceVersion);
        store.Cache.Unregister(registration.Watcher!);
        var updates = registration.Backlog.Where(e => e.Type == WatchEventType.Modified).ToList();
        Assert.NotEmpty(updates);
        Assert.Contains(updates, e => !e.Previous!.IsDecoded);
        Assert.All(updates, e => Assert.Equal(int.Parse(ValueOf(e.Object)) - 1, int.Parse(ValueOf(e.Previous!))));
    }

    [Fact]
    public async Task History_DeletedObjects_KeepOnlyTheirBytesOnceOld()
    {
        var store = await StartStoreAsync();
        var gone = await store.CreateAsync(ConfigMaps, ConfigMap("gone", "last"), CancellationToken.None);
        var deleted = await store.DeleteAsync(ConfigMaps, Ns, "gone", gone.ResourceVersion, CancellationToken.None);
        Assert.True(deleted.IsDecoded);

        await ChurnAsync(store, "b", 40, 26);

        Assert.False(deleted.IsDecoded);
        Assert.Equal("last", ValueOf(deleted));
        Assert.Null(store.Get(ConfigMaps, Ns, "gone"));
    }

    [Fact]
    public async Task SharedObjects_CarryNoManagedFields_WhileTheEncodingKeepsThem()
    {
        var store = await StartStoreAsync();
        var cm = ConfigMap("tracked");
        cm.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "tester", Operation = "Update", ApiVersion = "v1", FieldsType = "FieldsV1" }];

        var created = await store.CreateAsync(ConfigMaps, cm, CancellationToken.None);

        Assert.Null(created.Object.Metadata.ManagedFields);
        Assert.Null(store.Get(ConfigMaps, Ns, "tracked")!.Object.Metadata.ManagedFields);
        Assert.Equal("tester", ManagersIn(store.Get(ConfigMaps, Ns, "tracked")!).Single());
        Assert.Equal("tester", ((V1ConfigMap)store.Codec.Copy(created)).Metadata.ManagedFields.Single().Manager);

        // Loaded again after a restart, and as the last state of a delete: the same.
        await StopStoreAsync(store);
        store = await StartStoreAsync();
        var loaded = store.Get(ConfigMaps, Ns, "tracked")!;
        Assert.Null(loaded.Object.Metadata.ManagedFields);
        Assert.Equal("tester", ManagersIn(loaded).Single());
        var deleted = await store.DeleteAsync(ConfigMaps, Ns, "tracked", loaded.ResourceVersion, CancellationToken.None);
        Assert.Null(deleted.Object.Metadata.ManagedFields);
        Assert.Equal("tester", ManagersIn(deleted).Single());
    }

    private static IEnumerable<string> ManagersIn(StoredObject stored)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(stored.Json);
        return [.. doc.RootElement.GetProperty("metadata").GetProperty("managedFields").EnumerateArray().Select(e => e.GetProperty("manager").GetString()!)];
    }
}
