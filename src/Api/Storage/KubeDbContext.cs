using Microsoft.EntityFrameworkCore;

namespace KubeWeb.Api.Storage;

/// <summary>
/// The store's schema. One subclass per provider so each keeps its own migrations
/// (jsonb and identity on PostgreSQL, TEXT on SQLite).
/// </summary>
public abstract class KubeDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ObjectRow> Objects => Set<ObjectRow>();

    public DbSet<RevisionRow> Revisions => Set<RevisionRow>();

    public DbSet<CounterRow> Counter => Set<CounterRow>();

    /// <summary>Column type of the JSON bodies.</summary>
    protected abstract string JsonColumnType { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ObjectRow>(e =>
        {
            e.ToTable("objects");
            e.HasKey(o => new { o.Resource, o.Namespace, o.Name });
            e.Property(o => o.Resource).HasColumnName("resource");
            e.Property(o => o.Namespace).HasColumnName("namespace");
            e.Property(o => o.Name).HasColumnName("name");
            e.Property(o => o.Uid).HasColumnName("uid");
            e.Property(o => o.ResourceVersion).HasColumnName("resource_version");
            e.Property(o => o.Value).HasColumnName("value").HasColumnType(JsonColumnType);
        });

        modelBuilder.Entity<RevisionRow>(e =>
        {
            e.ToTable("revisions");
            e.HasKey(r => r.Revision);
            e.Property(r => r.Revision).HasColumnName("revision").ValueGeneratedNever();
            e.Property(r => r.Resource).HasColumnName("resource");
            e.Property(r => r.Namespace).HasColumnName("namespace");
            e.Property(r => r.Name).HasColumnName("name");
            e.Property(r => r.Type).HasColumnName("type");
            e.Property(r => r.Value).HasColumnName("value").HasColumnType(JsonColumnType);
            e.Property(r => r.CreatedAt).HasColumnName("created_at");
            e.HasIndex(r => r.CreatedAt);
        });

        modelBuilder.Entity<CounterRow>(e =>
        {
            e.ToTable("revision_counter");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(c => c.Revision).HasColumnName("revision");
            e.Property(c => c.CompactedRevision).HasColumnName("compacted_revision");
            e.HasData(new CounterRow { Id = 1, Revision = 0, CompactedRevision = 0 });
        });
    }
}

public sealed class SqliteKubeDbContext(DbContextOptions<SqliteKubeDbContext> options) : KubeDbContext(options)
{
    protected override string JsonColumnType => "TEXT";
}

public sealed class PostgresKubeDbContext(DbContextOptions<PostgresKubeDbContext> options) : KubeDbContext(options)
{
    protected override string JsonColumnType => "jsonb";
}
