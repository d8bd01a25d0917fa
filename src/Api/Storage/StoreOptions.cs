namespace KubeWeb.Api.Storage;

public enum DatastoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>Where and how objects are kept. Bound from the <c>--datastore-endpoint</c> flag.</summary>
public sealed class StoreOptions
{
    public DatastoreKind Kind { get; set; } = DatastoreKind.Sqlite;

    public string ConnectionString { get; set; } = "Data Source=kubeweb.db";

    /// <summary>How long the change log keeps revisions for watches to resume from.</summary>
    public TimeSpan CompactionRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an Event is kept after it was last recorded (kube-apiserver's <c>--event-ttl</c>).</summary>
    public TimeSpan EventTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired Events are looked for.</summary>
    public TimeSpan EventSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the compactor runs.</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many recent events the watch cache holds in memory; older ones in the window come from the log.</summary>
    public int HistoryCapacity { get; set; } = 100_000;

    /// <summary>
    /// Largest total size of the events' encoded objects in the in-memory history: past it the oldest
    /// events are dropped from memory (still in the log until compaction), so the history's memory
    /// does not grow with object size or churn. The versions the events replaced come on top; most
    /// are the objects of earlier events in the history, so they are not held twice.
    /// </summary>
    public long HistoryBytes { get; set; } = 32L << 20;

    /// <summary>Largest number of writes committed in one transaction.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>Events a watcher may fall behind before it is closed (the client then re-lists).</summary>
    public int WatcherBuffer { get; set; } = 20_000;

    /// <summary>SQLite only: fsync every commit (FULL) rather than only at checkpoints (NORMAL).</summary>
    public bool SqliteFullSync { get; set; } = true;

    /// <summary>
    /// Builds options from a k3s-style endpoint: empty for SQLite in the data dir,
    /// <c>sqlite://PATH</c>, <c>postgres://user:pass@host:port/db</c>, <c>postgresql://...</c>, or a
    /// Npgsql connection string (<c>Host=...;Database=...</c>).
    /// </summary>
    public static StoreOptions FromEndpoint(string? endpoint, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return new() { Kind = DatastoreKind.Sqlite, ConnectionString = $"Data Source={Path.Combine(dataDir, "state.db")}" };
        }

        if (endpoint.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            return new() { Kind = DatastoreKind.Sqlite, ConnectionString = $"Data Source={endpoint["sqlite://".Length..]}" };
        }

        if (endpoint.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            endpoint.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new() { Kind = DatastoreKind.Postgres, ConnectionString = PostgresUriToConnectionString(endpoint) };
        }

        if (endpoint.Contains("Host=", StringComparison.OrdinalIgnoreCase) || endpoint.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            return new() { Kind = DatastoreKind.Postgres, ConnectionString = endpoint };
        }

        throw new ArgumentException(
            $"unsupported datastore endpoint \"{endpoint}\": use postgres://user:pass@host:port/db, a Npgsql connection string, or sqlite://PATH");
    }

    private static string PostgresUriToConnectionString(string uri)
    {
        var u = new Uri(uri);
        var b = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = u.Host,
            Port = u.Port > 0 ? u.Port : 5432,
            Database = Uri.UnescapeDataString(u.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (u.UserInfo.Length > 0)
        {
            var parts = u.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                b.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv[0] == "sslmode" && kv.Length == 2)
            {
                b.SslMode = Enum.Parse<Npgsql.SslMode>(kv[1], ignoreCase: true);
            }
        }

        return b.ConnectionString;
    }
}
