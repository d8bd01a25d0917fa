using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KubeWeb.Bench;

/// <summary>
/// The engine on its own: the same row shape and durability settings as the store, single-row
/// transactions (one commit per write) and batched transactions (one commit per batch, as the
/// store's group commit does).
/// </summary>
internal static class RawInsertBench
{
    public static async Task<(double SingleRowPerSecond, double BatchedPerSecond)> RunAsync(
        BenchSettings settings, string sqliteDir, string? postgresConnectionString, string payload)
    {
        await using var connection = await OpenAsync(settings, sqliteDir, postgresConnectionString);
        var json = settings.Postgres ? "jsonb" : "TEXT";
        await ExecAsync(connection, $"CREATE TABLE raw_objects (name TEXT PRIMARY KEY, rv BIGINT NOT NULL, value {json} NOT NULL)");

        // Warm up the file and the page cache first; the build that preceded `dotnet run` may still be flushing.
        await MeasureAsync(connection, settings, payload, batch: 1, 500, TimeSpan.FromSeconds(2), "warmup");
        var single = await MeasureAsync(connection, settings, payload, batch: 1, settings.RawSingleRows, settings.PhaseLimit, "single");
        var batched = await MeasureAsync(connection, settings, payload, batch: settings.RawBatch, settings.RawBatchedRows, settings.PhaseLimit, "batched");
        return (single, batched);
    }

    private static async Task<DbConnection> OpenAsync(BenchSettings settings, string sqliteDir, string? postgresConnectionString)
    {
        if (settings.Postgres)
        {
            var pg = new NpgsqlConnection(postgresConnectionString);
            await pg.OpenAsync();
            return pg;
        }

        var sqlite = new SqliteConnection($"Data Source={Path.Combine(sqliteDir, "raw.db")};Pooling=false");
        await sqlite.OpenAsync();

        // The store's writer connection settings (SqlDialect.Sqlite.ConfigureAsync).
        await ExecAsync(sqlite, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000; PRAGMA journal_size_limit=67108864;");
        return sqlite;
    }

    private static async Task<double> MeasureAsync(DbConnection connection, BenchSettings settings, string payload, int batch, int rows, TimeSpan limit, string prefix)
    {
        var value = settings.Postgres ? "CAST(@value AS jsonb)" : "@value";
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO raw_objects (name, rv, value) VALUES (@name, @rv, {value})";
        foreach (var name in new[] { "name", "rv", "value" })
        {
            var p = insert.CreateParameter();
            p.ParameterName = "@" + name;
            insert.Parameters.Add(p);
        }

        var sw = Stopwatch.StartNew();
        var done = 0;
        while (done < rows && sw.Elapsed < limit)
        {
            await using var tx = await connection.BeginTransactionAsync();
            insert.Transaction = tx;
            for (var i = 0; i < batch; i++, done++)
            {
                insert.Parameters[0].Value = $"{prefix}-{done}";
                insert.Parameters[1].Value = (long)done;
                insert.Parameters[2].Value = payload;
                await insert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }

        return done / sw.Elapsed.TotalSeconds;
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
