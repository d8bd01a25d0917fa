using System.Net;
using KubeWeb.Host.Hosting;
using KubeWeb.TestSupport;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>
/// One in-process KubeWeb server for a test class: HTTPS on a free loopback port, a temporary data
/// directory, and the admin kubeconfig written there. The derived classes pick the datastore. The
/// server's log goes to <see cref="LogPath"/> (kept when <c>KUBEWEB_E2E_KEEP=1</c>) so a failing
/// scenario can be traced to the request that broke.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    private ServerHost? _server;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("kw-e2e-").FullName;

    public string LogPath => Path.Combine(DataDir, "server.log");

    public ServerHost Server => _server ?? throw new InvalidOperationException("the server has not started");

    public string KubeconfigPath => Server.KubeconfigPath;

    /// <summary>Null for the default (SQLite in the data directory).</summary>
    protected abstract Task<string?> DatastoreEndpointAsync();

    public async Task InitializeAsync()
    {
        var endpoint = await DatastoreEndpointAsync();
        var settings = new ServerSettings
        {
            DataDir = DataDir,
            HttpsPort = 0,
            BindAddress = IPAddress.Loopback,
            DatastoreEndpoint = endpoint,
        };
        _server = await ServerHost.StartAsync(settings, logging =>
        {
            logging.AddProvider(new FileLoggerProvider(LogPath));
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        });
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KUBEWEB_E2E_KEEP") != "1")
            {
                try
                {
                    Directory.Delete(DataDir, recursive: true);
                }
                catch (IOException)
                {
                    // A file still held open; the temp folder is cleaned by the OS eventually.
                }
            }
        }
    }
}

/// <summary>SQLite in the fixture's data directory (the server's default datastore).</summary>
public sealed class SqliteServerFixture : ServerFixture
{
    protected override Task<string?> DatastoreEndpointAsync() => Task.FromResult<string?>(null);
}

/// <summary>A fresh database on the throwaway PostgreSQL 15 server (or <c>KUBEWEB_TEST_POSTGRES</c>).</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    protected override async Task<string?> DatastoreEndpointAsync() =>
        await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync("e2e");
}
