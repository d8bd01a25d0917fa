using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace KubeWeb.TestSupport;

/// <summary>
/// A PostgreSQL server for tests: either the one named by <c>KUBEWEB_TEST_POSTGRES</c> (a Npgsql
/// connection string), or a throwaway instance started here from the PostgreSQL 15 binaries as the
/// <c>postgres</c> user (PostgreSQL refuses to run as root) on a free loopback port, with fsync off.
/// Each caller gets its own fresh database. Only the server this class started is stopped, by its
/// data directory; nothing else is touched.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ThrowawayPostgres? _shared;
    private readonly string? _dir;
    private int _databases;

    private ThrowawayPostgres(string adminConnectionString, string? dir)
    {
        AdminConnectionString = adminConnectionString;
        _dir = dir;
    }

    public string AdminConnectionString { get; }

    /// <summary>True when a server is configured or the binaries to start one exist.</summary>
    public static bool IsAvailable =>
        Environment.GetEnvironmentVariable("KUBEWEB_TEST_POSTGRES") is { Length: > 0 } || File.Exists(Path.Combine(BinDir, "initdb"));

    /// <summary>The process-wide server, started on first use and stopped at process exit.</summary>
    public static async Task<ThrowawayPostgres> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "kw")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    private static async Task<ThrowawayPostgres> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("KUBEWEB_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            return new ThrowawayPostgres(configured, null);
        }

        RemoveAbandoned();
        var dir = Path.Combine("/tmp", $"kwpg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(dir);
        Run("chown", "postgres", dir);
        var port = FreePort();
        Run("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "initdb"), "-D", Path.Combine(dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        Run("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "pg_ctl"), "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start");
        return new ThrowawayPostgres($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false", dir);
    }

    public ValueTask DisposeAsync()
    {
        if (_dir is not null && Directory.Exists(Path.Combine(_dir, "data")))
        {
            try
            {
                Run("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }

            Directory.Delete(_dir, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Deletes folders of earlier throwaway servers whose test process is gone (a killed test host
    /// never runs its exit handler), first stopping a postmaster such a host left running (pg_ctl on
    /// that folder, as <see cref="DisposeAsync"/> does); a folder it cannot stop stays.
    /// </summary>
    private static void RemoveAbandoned()
    {
        foreach (var dir in Directory.GetDirectories("/tmp", "kwpg-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 2 || !int.TryParse(parts[1], out var owner) || Directory.Exists($"/proc/{owner}"))
            {
                continue;
            }

            var pidFile = Path.Combine(dir, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) &&
                Directory.Exists($"/proc/{postmaster}") && !File.ReadAllText($"/proc/{postmaster}/stat").Contains(") Z ", StringComparison.Ordinal))
            {
                try
                {
                    Run("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "pg_ctl"), "-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "stop");
                }
                catch (InvalidOperationException)
                {
                    continue;
                }
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}{stdout.Result}");
        }
    }
}
