using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KubeWeb.Api.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKubeDbContext>
{
    public SqliteKubeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKubeDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKubeDbContext>
{
    public PostgresKubeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresKubeDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
