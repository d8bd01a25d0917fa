using KubeWeb.E2E.Infrastructure;
using Xunit.Abstractions;

namespace KubeWeb.E2E.Kubectl;

[Trait("Category", "E2E")]
[Trait("Datastore", "Sqlite")]
public sealed class SqliteKubectlScenarios(SqliteServerFixture server, ITestOutputHelper output)
    : KubectlScenarios(server, output), IClassFixture<SqliteServerFixture>;

[Trait("Category", "E2E")]
[Trait("Datastore", "Postgres")]
public sealed class PostgresKubectlScenarios(PostgresServerFixture server, ITestOutputHelper output)
    : KubectlScenarios(server, output), IClassFixture<PostgresServerFixture>;
