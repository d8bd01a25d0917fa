using System.Net;
using KubeWeb.Api.Storage;
using KubeWeb.TestSupport;
using Npgsql;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>The contract on PostgreSQL, reached through a <see cref="TcpProxy"/> so tests can cut the link.</summary>
[Trait("Category", "Integration")]
[Trait("Datastore", "postgres")]
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private TcpProxy? _proxy;

    protected override DatastoreKind Kind => DatastoreKind.Postgres;

    private TcpProxy Proxy => _proxy!;

    protected override async Task<string> CreateDatabaseAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync());
        var address = (await Dns.GetHostAddressesAsync(direct.Host!))[0];
        _proxy = new TcpProxy(new IPEndPoint(address, direct.Port));
        direct.Host = "127.0.0.1";
        direct.Port = _proxy.Port;
        direct.Timeout = 5;
        direct.CommandTimeout = 15;
        return direct.ConnectionString;
    }

    /// <summary>The port closes and every open connection drops, as when the server goes away.</summary>
    protected override Task TakeDatabaseDownAsync() => Proxy.StopAsync();

    protected override Task BringDatabaseBackAsync()
    {
        Proxy.Start();
        return Task.CompletedTask;
    }

    protected override async Task CleanupAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionLostDuringCommit_StoreCatchesUpWithWhatCommitted_AndKeepsWorking()
    {
        var store = await StartStoreAsync();
        var v1 = await store.CreateAsync(ConfigMaps, ConfigMap("a", "one"), CancellationToken.None);

        Proxy.CutNextCommit();
        // The client hears nothing back, so the outcome is unknown: the store must say so, not claim success.
        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.UpdateAsync(ConfigMaps, Changed(store, v1, "two"), v1.ResourceVersion, CancellationToken.None).WaitAsync(WaitLimit));

        // The commit did happen; the next write must not be wedged by the counter being ahead of memory.
        var b = await store.CreateAsync(ConfigMaps, ConfigMap("b"), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(v1.ResourceVersion + 2, b.ResourceVersion);
        var a = store.Get(ConfigMaps, Ns, "a")!;
        Assert.Equal((v1.ResourceVersion + 1, "two"), (a.ResourceVersion, ValueOf(a)));

        // Watchers saw the caught-up event in order.
        var seen = await WatchProbe.CollectAsync(store, ConfigMaps, v1.ResourceVersion, b.ResourceVersion, WaitLimit);
        Assert.Equal([v1.ResourceVersion + 1, b.ResourceVersion], seen.Select(e => e.Revision));
        Assert.Equal(WatchEventType.Modified, seen[0].Type);
    }

    [Fact]
    public async Task Start_AgainstAClosedPort_FailsWithoutHanging()
    {
        var options = NewOptions();
        options.ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Port = Proxy.Port, Timeout = 3 }.ConnectionString;
        await Proxy.StopAsync();

        var error = await Record.ExceptionAsync(() => StartStoreAsync(options).WaitAsync(WaitLimit));

        Assert.IsAssignableFrom<NpgsqlException>(error);
    }
}
