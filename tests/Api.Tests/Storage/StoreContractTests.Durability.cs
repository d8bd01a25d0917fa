using KubeWeb.Api.Storage;

namespace KubeWeb.Api.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Restart_KeepsEveryAcknowledgedWrite_AndTheRevision()
    {
        var store = await StartStoreAsync();
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.CreateAsync(ConfigMaps, ConfigMap($"cm-{i}", "0"), CancellationToken.None)));
        var updated = await Task.WhenAll(created.Take(30).Select(c => store.UpdateAsync(ConfigMaps, Changed(store, c, "1"), c.ResourceVersion, CancellationToken.None)));
        await Task.WhenAll(updated.Take(10).Select(u => store.DeleteAsync(ConfigMaps, Ns, u.Name, u.ResourceVersion, CancellationToken.None)));
        var expected = Snapshot(store);
        var revision = store.Revision;
        await StopStoreAsync(store);

        store = await StartStoreAsync();

        Assert.Equal(revision, store.Revision);
        Assert.Equal(expected, Snapshot(store));
        var next = await store.CreateAsync(ConfigMaps, ConfigMap("after"), CancellationToken.None);
        Assert.Equal(revision + 1, next.ResourceVersion);
    }

    [Fact]
    public async Task Dispose_Twice_IsHarmless_AndLaterWritesFailAsUnavailable()
    {
        // The host stops the store and then its container disposes it again.
        var store = await StartStoreAsync();
        await store.CreateAsync(ConfigMaps, ConfigMap("a"), CancellationToken.None);
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(ConfigMaps, ConfigMap("b"), CancellationToken.None));
    }

    [Fact]
    public async Task Shutdown_UnderLoad_KeepsEveryAcknowledgedWrite()
    {
        var store = await StartStoreAsync();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var go = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    var c = await store.CreateAsync(ConfigMaps, ConfigMap($"t{t}-{i}"), CancellationToken.None);
                    acknowledged[c.Name] = c.ResourceVersion;
                }
                catch (StoreUnavailableException)
                {
                    return; // shutting down
                }
            }
        })).ToList();

        while (acknowledged.Count < 300)
        {
            await Task.Delay(5);
        }

        await StopStoreAsync(store);
        await Task.WhenAll(writers).WaitAsync(WaitLimit);

        store = await StartStoreAsync();
        foreach (var (name, rv) in acknowledged)
        {
            Assert.Equal(rv, store.Get(ConfigMaps, Ns, name)?.ResourceVersion);
        }

        Assert.Equal(acknowledged.Values.Max(), store.Revision);
        Assert.Equal(store.Revision, (await ReadCounterAsync()).Revision);
    }

    [Fact]
    public async Task DatabaseDown_WritesFailWithUnavailable_AndTheStoreRecovers()
    {
        var store = await StartStoreAsync();
        var v1 = await store.CreateAsync(ConfigMaps, ConfigMap("a", "one"), CancellationToken.None);

        await TakeDatabaseDownAsync();
        try
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() =>
                store.UpdateAsync(ConfigMaps, Changed(store, v1, "lost"), v1.ResourceVersion, CancellationToken.None).WaitAsync(WaitLimit));
            await Assert.ThrowsAsync<StoreUnavailableException>(() =>
                store.CreateAsync(ConfigMaps, ConfigMap("b"), CancellationToken.None).WaitAsync(WaitLimit));

            // Reads are served from memory and still show the last committed state.
            Assert.Equal("one", ValueOf(store.Get(ConfigMaps, Ns, "a")!));
            Assert.Null(store.Get(ConfigMaps, Ns, "b"));
            Assert.Equal(v1.ResourceVersion, store.Revision);
        }
        finally
        {
            await BringDatabaseBackAsync();
        }

        var v2 = await store.UpdateAsync(ConfigMaps, Changed(store, v1, "two"), v1.ResourceVersion, CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(v1.ResourceVersion + 1, v2.ResourceVersion);
        var b = await store.CreateAsync(ConfigMaps, ConfigMap("b"), CancellationToken.None).WaitAsync(WaitLimit);

        await StopStoreAsync(store);
        store = await StartStoreAsync();
        Assert.Equal("two", ValueOf(store.Get(ConfigMaps, Ns, "a")!));
        Assert.Equal(b.ResourceVersion, store.Revision);
    }

    private static List<(string Name, long Rv, string Value)> Snapshot(ObjectStore store) =>
        [.. store.List(ConfigMaps, Ns).Items.Select(o => (o.Name, o.ResourceVersion, ValueOf(o))).OrderBy(x => x.Name, StringComparer.Ordinal)];
}
