using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Api.Storage;

/// <summary>
/// Trims the change log to the retention window and keeps SQLite's WAL from growing: revisions
/// older than <see cref="StoreOptions.CompactionRetention"/> are deleted, the compacted revision is
/// recorded (watches from before it get 410 Gone), and on SQLite the WAL is checkpointed and truncated.
/// </summary>
public sealed partial class StoreCompactor(
    IDbContextFactory<KubeDbContext> contexts, ObjectStore store, StoreOptions options, TimeProvider time, ILogger<StoreCompactor> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CompactionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CompactOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCompactionFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One compaction pass; returns the new compacted revision.</summary>
    public async Task<long> CompactOnceAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.CompactionRetention;
        await using var ctx = await contexts.CreateDbContextAsync(ct);
        if (options.Kind == DatastoreKind.Sqlite)
        {
            await ctx.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout=10000;", ct);
        }

        var upTo = await ctx.Revisions.Where(r => r.CreatedAt < cutoff).MaxAsync(r => (long?)r.Revision, ct);
        if (upTo is not { } revision || revision <= store.Cache.CompactedRevision)
        {
            await CheckpointAsync(ctx, ct);
            return store.Cache.CompactedRevision;
        }

        // Record the compacted revision before deleting, so a crash in between never lets a watch
        // start from a revision whose events are already gone.
        await ctx.Counter.Where(c => c.Id == 1)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CompactedRevision, revision), ct);
        store.Cache.Compact(revision);
        var deleted = await ctx.Revisions.Where(r => r.Revision <= revision).ExecuteDeleteAsync(ct);
        LogCompacted(deleted, revision);
        await CheckpointAsync(ctx, ct);
        return revision;
    }

    private async Task CheckpointAsync(KubeDbContext ctx, CancellationToken ct)
    {
        if (options.Kind != DatastoreKind.Sqlite)
        {
            return;
        }

        try
        {
            await ctx.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
        }
        catch (SqliteException e)
        {
            LogCheckpointSkipped(e.Message);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Compacted {Count} revisions up to {Revision}")]
    private partial void LogCompacted(int count, long revision);

    [LoggerMessage(LogLevel.Warning, "Log compaction failed; retrying at the next interval")]
    private partial void LogCompactionFailed(Exception e);

    [LoggerMessage(LogLevel.Debug, "WAL checkpoint skipped: {Reason}")]
    private partial void LogCheckpointSkipped(string reason);
}
