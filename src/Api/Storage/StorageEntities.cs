namespace KubeWeb.Api.Storage;

/// <summary>The current state of one object: one row per live object (table <c>objects</c>).</summary>
public sealed class ObjectRow
{
    /// <summary>Storage resource, e.g. "pods" or "apps/deployments".</summary>
    public required string Resource { get; set; }

    /// <summary>"" for cluster-scoped objects.</summary>
    public required string Namespace { get; set; }

    public required string Name { get; set; }

    public required string Uid { get; set; }

    public long ResourceVersion { get; set; }

    /// <summary>The serialized object (jsonb on PostgreSQL, text on SQLite).</summary>
    public required string Value { get; set; }
}

/// <summary>The change log (table <c>revisions</c>): one row per write, in revision order.</summary>
public sealed class RevisionRow
{
    public long Revision { get; set; }

    public required string Resource { get; set; }

    public required string Namespace { get; set; }

    public required string Name { get; set; }

    /// <summary>0 added, 1 modified, 2 deleted (see <see cref="WatchEventType"/>).</summary>
    public short Type { get; set; }

    /// <summary>The object after the change; for deletions the last state stamped with the deletion's revision.</summary>
    public required string Value { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>The one-row revision counter (table <c>revision_counter</c>).</summary>
public sealed class CounterRow
{
    public int Id { get; set; }

    /// <summary>The last revision handed out.</summary>
    public long Revision { get; set; }

    /// <summary>Every revision at or below this one has been compacted out of the log.</summary>
    public long CompactedRevision { get; set; }
}
