using KubeWeb.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace KubeWeb.Api.Tests.Storage;

/// <summary>The provider's context factory as the host registers it, without the host.</summary>
internal sealed class StoreDbFactory : IDbContextFactory<KubeDbContext>
{
    private readonly Func<KubeDbContext> _create;

    public StoreDbFactory(DatastoreKind kind, string connectionString)
    {
        if (kind == DatastoreKind.Postgres)
        {
            var options = new DbContextOptionsBuilder<PostgresKubeDbContext>().UseNpgsql(connectionString).Options;
            _create = () => new PostgresKubeDbContext(options);
        }
        else
        {
            var options = new DbContextOptionsBuilder<SqliteKubeDbContext>().UseSqlite(connectionString).Options;
            _create = () => new SqliteKubeDbContext(options);
        }
    }

    public KubeDbContext CreateDbContext() => _create();
}
