using System.Data.Common;

namespace KubeWeb.Api.Storage;

/// <summary>The few statements the hot write path issues directly on EF Core's connection.</summary>
internal abstract class SqlDialect
{
    public static SqlDialect For(DatastoreKind kind) => kind == DatastoreKind.Postgres ? new Postgres() : new Sqlite();

    public abstract string InsertObject { get; }

    public string UpdateObject =>
        $"UPDATE objects SET uid = @uid, resource_version = @rv, value = {Json("@value")} " +
        "WHERE resource = @resource AND namespace = @namespace AND name = @name AND resource_version = @old";

    public const string DeleteObject =
        "DELETE FROM objects WHERE resource = @resource AND namespace = @namespace AND name = @name AND resource_version = @old";

    public string InsertRevision =>
        $"INSERT INTO revisions (revision, resource, namespace, name, type, value, created_at) VALUES (@rev, @resource, @namespace, @name, @type, {Json("@value")}, @created)";

    public const string ReadLog =
        "SELECT revision, resource, namespace, name, type, value FROM revisions WHERE revision > @from AND revision <= @to ORDER BY revision";

    public const string UpdateCounter = "UPDATE revision_counter SET revision = @rev WHERE id = 1";

    /// <summary>Reads the counter and, where the engine needs it, locks the row until commit.</summary>
    public abstract string ReadCounterForUpdate { get; }

    protected abstract string Json(string parameter);

    /// <summary>An encoded object as the statements above bind it.</summary>
    public abstract object Value(byte[] json);

    /// <summary>True when the database refused a value in the batch (not the connection or the transaction as such).</summary>
    public abstract bool RejectsValue(Exception e);

    /// <summary>Per-connection settings applied when the writer opens its connection.</summary>
    public virtual Task ConfigureAsync(DbConnection connection, StoreOptions options, CancellationToken ct) => Task.CompletedTask;

    private sealed class Sqlite : SqlDialect
    {
        public override string InsertObject =>
            "INSERT INTO objects (resource, namespace, name, uid, resource_version, value) VALUES (@resource, @namespace, @name, @uid, @rv, CAST(@value AS TEXT)) ON CONFLICT DO NOTHING";

        public override string ReadCounterForUpdate => "SELECT revision FROM revision_counter WHERE id = 1";

        // The encoding is bound as it is (a blob) and stored as TEXT: SQLite's cast reads the bytes as
        // UTF-8, so no string is made and transcoded back to UTF-8 for each of the two statements.
        protected override string Json(string parameter) => $"CAST({parameter} AS TEXT)";

        public override object Value(byte[] json) => json;

        // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH.
        public override bool RejectsValue(Exception e) => e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 18 or 19 or 20 };

        public override async Task ConfigureAsync(DbConnection connection, StoreOptions options, CancellationToken ct)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText =
                "PRAGMA journal_mode=WAL; " +
                $"PRAGMA synchronous={(options.SqliteFullSync ? "FULL" : "NORMAL")}; " +
                "PRAGMA wal_autocheckpoint=1000; PRAGMA journal_size_limit=67108864; PRAGMA busy_timeout=5000;";
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private sealed class Postgres : SqlDialect
    {
        public override string InsertObject =>
            "INSERT INTO objects (resource, namespace, name, uid, resource_version, value) VALUES (@resource, @namespace, @name, @uid, @rv, CAST(@value AS jsonb)) ON CONFLICT DO NOTHING";

        public override string ReadCounterForUpdate => "SELECT revision FROM revision_counter WHERE id = 1 FOR UPDATE";

        protected override string Json(string parameter) => $"CAST({parameter} AS jsonb)";

        public override object Value(byte[] json) => System.Text.Encoding.UTF8.GetString(json);

        // Data exceptions (22: \u0000 in jsonb, bad encoding), integrity violations (23), program limits (54).
        public override bool RejectsValue(Exception e) =>
            e is Npgsql.PostgresException { SqlState.Length: 5 } p && p.SqlState[..2] is "22" or "23" or "54";
    }
}
