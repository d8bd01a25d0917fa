using System.Data.Common;
using k8s.Models;
using Microsoft.EntityFrameworkCore;

namespace KubeWeb.Api.Storage;

public sealed partial class ObjectStore
{
    /// <summary>
    /// Commits one batch. Each write is checked against the state the batch has produced so far
    /// (so two writes to one object in one batch behave as if sequential); a failed check fails
    /// only that write. SQL conditions (resource_version = old, ON CONFLICT DO NOTHING) back the
    /// checks up in the database itself.
    /// </summary>
    private async Task CommitAsync(KubeDbContext ctx, List<PendingWrite> batch, CancellationToken ct)
    {
        var connection = ctx.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync(ct);

        var revision = await ReadCounterAsync(connection, tx, ct);
        if (revision != Cache.Revision)
        {
            if (!_commitInDoubt || revision < Cache.Revision)
            {
                throw new InvalidOperationException(
                    $"the revision counter is {revision} but this server is at {Cache.Revision}: another server writes to this database");
            }

            await CatchUpAsync(connection, tx, revision, ct);
        }

        _commitInDoubt = false;

        var overlay = new Dictionary<(string, string), StoredObject?>();
        var events = new List<StoreEvent>(batch.Count);
        var outcomes = new List<(PendingWrite Write, StoredObject? Result, Exception? Error)>(batch.Count);
        var now = _time.GetUtcNow().UtcDateTime;

        await using var insertObject = Command(connection, tx, _dialect.InsertObject, "resource", "namespace", "name", "uid", "rv", "value");
        await using var updateObject = Command(connection, tx, _dialect.UpdateObject, "resource", "namespace", "name", "uid", "rv", "value", "old");
        await using var deleteObject = Command(connection, tx, SqlDialect.DeleteObject, "resource", "namespace", "name", "old");
        await using var insertRevision = Command(connection, tx, _dialect.InsertRevision, "rev", "resource", "namespace", "name", "type", "value", "created");

        foreach (var w in batch)
        {
            var current = overlay.TryGetValue((w.Resource, w.Key), out var o) ? o : Cache.Get(w.Resource, w.Namespace, w.Name);
            Exception? failure = w.Kind switch
            {
                WriteKind.Create when current is not null => new StoreAlreadyExistsException(w.Resource, w.Namespace, w.Name),
                WriteKind.Update or WriteKind.Delete when current is null => new StoreNotFoundException(w.Resource, w.Namespace, w.Name),
                WriteKind.Update or WriteKind.Delete when w.Expected != 0 && current!.ResourceVersion != w.Expected =>
                    new StoreConflictException(w.Resource, w.Namespace, w.Name),
                _ => null,
            };
            if (failure is not null)
            {
                outcomes.Add((w, null, failure));
                continue;
            }

            var next = revision + 1;
            var json = RevisionStamp.Stamp(w.Kind == WriteKind.Delete ? current!.Json : w.Json!, next);
            var obj = w.Kind == WriteKind.Delete ? Codec.DecodeShared(w.Resource, json) : w.Object!;
            obj.Metadata.ResourceVersion = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = _dialect.Value(json);
            var uid = obj.Metadata.Uid ?? "";

            int affected;
            switch (w.Kind)
            {
                case WriteKind.Create:
                    affected = await Exec(insertObject, ct, w.Resource, w.Namespace, w.Name, uid, next, text);
                    break;
                case WriteKind.Update:
                    affected = await Exec(updateObject, ct, w.Resource, w.Namespace, w.Name, uid, next, text, current!.ResourceVersion);
                    break;
                default:
                    affected = await Exec(deleteObject, ct, w.Resource, w.Namespace, w.Name, current!.ResourceVersion);
                    break;
            }

            if (affected != 1)
            {
                // The database disagrees with the cache: only possible if something else wrote.
                outcomes.Add((w, null, new StoreConflictException(w.Resource, w.Namespace, w.Name)));
                continue;
            }

            var type = w.Kind switch
            {
                WriteKind.Create => WatchEventType.Added,
                WriteKind.Update => WatchEventType.Modified,
                _ => WatchEventType.Deleted,
            };
            await Exec(insertRevision, ct, next, w.Resource, w.Namespace, w.Name, (short)type, text, now);
            revision = next;

            var stored = new StoredObject
            {
                Resource = w.Resource,
                Namespace = w.Namespace,
                Name = w.Name,
                ResourceVersion = next,
                Json = json,

                // Committed: the writer's object is the store's now, and its managedFields live on in json.
                Object = ObjectCodec.WithoutManagedFields(obj),
            };
            overlay[(w.Resource, w.Key)] = type == WatchEventType.Deleted ? null : stored;
            events.Add(new StoreEvent(type, stored, current));
            outcomes.Add((w, stored, null));
        }

        if (events.Count > 0)
        {
            await using var counter = Command(connection, tx, SqlDialect.UpdateCounter, "rev");
            await Exec(counter, ct, revision);
        }

        _commitInDoubt = true;
        await tx.CommitAsync(ct);
        _commitInDoubt = false;
        Cache.Apply(events, revision);

        foreach (var (write, result, error) in outcomes)
        {
            if (error is not null)
            {
                write.Completion.TrySetException(error);
            }
            else
            {
                write.Completion.TrySetResult(result!);
            }
        }
    }

    /// <summary>
    /// Applies to memory what an earlier batch committed without hearing back (its writers were told
    /// the store was unavailable), read from the log in revision order.
    /// </summary>
    private async Task CatchUpAsync(DbConnection connection, DbTransaction tx, long to, CancellationToken ct)
    {
        var from = Cache.Revision;
        var events = new List<StoreEvent>();
        var latest = new Dictionary<(string, string), StoredObject?>();
        await using (var cmd = Command(connection, tx, SqlDialect.ReadLog, "from", "to"))
        {
            cmd.Parameters[0].Value = from;
            cmd.Parameters[1].Value = to;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var e = ToEvent(new RevisionRow
                {
                    Revision = reader.GetInt64(0),
                    Resource = reader.GetString(1),
                    Namespace = reader.GetString(2),
                    Name = reader.GetString(3),
                    Type = reader.GetInt16(4),
                    Value = reader.GetString(5),
                });
                var o = e.Object;
                var previous = latest.TryGetValue((o.Resource, o.Key), out var p) ? p : Cache.Get(o.Resource, o.Namespace, o.Name);
                latest[(o.Resource, o.Key)] = e.Type == WatchEventType.Deleted ? null : o;
                events.Add(e with { Previous = previous });
            }
        }

        if (events.Count != to - from)
        {
            throw new InvalidOperationException($"the log between revisions {from} and {to} is incomplete: another server writes to this database");
        }

        Cache.Apply(events, to);
        LogCaughtUp(from, to);
    }

    private async Task<long> ReadCounterAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = _dialect.ReadCounterForUpdate;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params string[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    private static Task<int> Exec(DbCommand cmd, CancellationToken ct, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }

        return cmd.ExecuteNonQueryAsync(ct);
    }
}
