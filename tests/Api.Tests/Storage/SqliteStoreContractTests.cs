using KubeWeb.Api.Storage;
using Microsoft.Data.Sqlite;

namespace KubeWeb.Api.Tests.Storage;

[Trait("Category", "Integration")]
[Trait("Datastore", "sqlite")]
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kwstore-").FullName;
    private SqliteConnection? _blocker;

    protected override DatastoreKind Kind => DatastoreKind.Sqlite;

    private string DbPath => Path.Combine(_dir, "state.db");

    // A short command timeout so a locked database fails a write in seconds rather than 30.
    protected override Task<string> CreateDatabaseAsync() => Task.FromResult($"Data Source={DbPath};Default Timeout=5");

    /// <summary>Another process holds the write lock past every timeout: SQLite's way of being unavailable.</summary>
    protected override async Task TakeDatabaseDownAsync()
    {
        _blocker = new SqliteConnection($"Data Source={DbPath};Pooling=false");
        await _blocker.OpenAsync();
        await using var cmd = _blocker.CreateCommand();
        cmd.CommandText = "BEGIN EXCLUSIVE;";
        await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task BringDatabaseBackAsync()
    {
        if (_blocker is not null)
        {
            await _blocker.DisposeAsync();
            _blocker = null;
        }
    }

    protected override async Task CleanupAsync()
    {
        await BringDatabaseBackAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Churn_WithCompaction_KeepsTheWalAndTheDatabaseBounded()
    {
        const long MiB = 1024 * 1024;
        var options = NewOptions();
        options.CompactionRetention = TimeSpan.FromMinutes(1);
        var store = await StartStoreAsync(options);
        var compactor = NewCompactor(store, options);
        var payload = new string('x', 1024);
        var current = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            store.CreateAsync(ConfigMaps, ConfigMap($"cm-{i}", payload), CancellationToken.None)));

        // Fake time moves 1 s per round of 50 updates, so the one-minute retention keeps about 3,000
        // revisions in the log; every 10th round the compactor runs beside that round's writes.
        long maxWal = 0;
        var compactions = 0;
        var dbAtHalf = 0L;
        for (var round = 1; round <= 400; round++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            var value = payload + round;
            var updates = Task.WhenAll(current.Select(c =>
                store.UpdateAsync(ConfigMaps, Changed(store, c, value), c.ResourceVersion, CancellationToken.None)));
            if (round % 10 == 0)
            {
                await compactor.CompactOnceAsync(CancellationToken.None);
                compactions++;
            }

            current = await updates;
            maxWal = Math.Max(maxWal, FileSize(DbPath + "-wal"));
            if (round == 200)
            {
                dbAtHalf = FileSize(DbPath);
            }
        }

        await compactor.CompactOnceAsync(CancellationToken.None);
        var dbAtEnd = FileSize(DbPath);
        var walAtEnd = FileSize(DbPath + "-wal");

        Assert.Equal(50 * 401, store.Revision);
        Assert.True(maxWal < 64 * MiB, $"WAL reached {maxWal / MiB} MiB");
        Assert.True(dbAtEnd < 32 * MiB, $"database is {dbAtEnd / MiB} MiB after churn");
        Assert.Equal(40, compactions);
        Assert.True(dbAtEnd <= dbAtHalf * 1.1, $"database grew from {dbAtHalf} to {dbAtEnd} bytes in the second half");
        Assert.True(walAtEnd < 4 * MiB, $"WAL is {walAtEnd / MiB} MiB after a checkpoint");
    }

    [Fact]
    public async Task Objects_and_revisions_are_stored_as_utf8_text()
    {
        var store = await StartStoreAsync();
        var created = await store.CreateAsync(ConfigMaps, ConfigMap("text", "grüße ✓ \u0001"), CancellationToken.None);
        var updated = await store.UpdateAsync(ConfigMaps, Changed(store, created, "naïve ☃"), created.ResourceVersion, CancellationToken.None);
        await StopStoreAsync(store);

        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=false");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT typeof(value), value FROM objects WHERE name = 'text' UNION ALL SELECT typeof(value), value FROM revisions WHERE name = 'text'";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string Type, string Value)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("text", r.Type));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(updated.Json), rows[0].Value);

        var reopened = await StartStoreAsync();
        Assert.Equal("naïve ☃", ValueOf(reopened.Get(ConfigMaps, Ns, "text")!));
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
