using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Agent.Runtime.Containerd;

/// <summary>
/// Runs a private containerd with the generated config: started detached (its own session, so a
/// Ctrl-C on the host does not reach it), its PID kept in <c>containerd.pid</c>, ready once the
/// CRI Version call answers, restarted when it dies, stopped with SIGTERM (then SIGKILL after
/// 10 s). Pods survive a containerd restart; their shims are not this class's to stop.
/// </summary>
public sealed partial class ContainerdSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly ContainerdConfig _config;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private Process _process;
    private Task? _watch;

    private ContainerdSupervisor(ContainerdConfig config, Process process, ILogger log)
    {
        _config = config;
        _process = process;
        _log = log;
    }

    public ContainerdConfig Config => _config;

    public string SocketPath => _config.SocketPath;

    /// <summary>The PID of the containerd this supervisor started (it changes after a restart).</summary>
    public int Pid => _process.Id;

    /// <summary>
    /// What is missing to run pods on this machine (containerd, runc, the CNI plugins), as a
    /// sentence naming the Debian packages to install; null when everything is there.
    /// </summary>
    public static string? MissingPrerequisites(string cniBinDir = "/usr/lib/cni")
    {
        var missing = new List<string>();
        if (FindExecutable("containerd") is null)
        {
            missing.Add("containerd (package containerd)");
        }

        if (FindExecutable("runc") is null)
        {
            missing.Add("runc (package runc)");
        }

        if (new[] { "bridge", "host-local", "loopback", "portmap" }.Any(p => !File.Exists(Path.Combine(cniBinDir, p))))
        {
            missing.Add($"the CNI plugins in {cniBinDir} (package containernetworking-plugins)");
        }

        return missing.Count == 0
            ? null
            : $"missing {string.Join(", ", missing)}; install them with: apt-get install -y containerd runc containernetworking-plugins";
    }

    /// <summary>Writes the config, starts containerd and waits until its CRI answers.</summary>
    /// <exception cref="InvalidOperationException">containerd exited or did not answer in time (the message carries its log's tail).</exception>
    public static async Task<ContainerdSupervisor> StartAsync(ContainerdConfig config, ILogger log, CancellationToken ct)
    {
        Directory.CreateDirectory(config.Dir);
        Directory.CreateDirectory(config.CniConfDir);
        await File.WriteAllTextAsync(config.ConfigPath, config.RenderToml(), ct);
        await StopStaleAsync(config, log);
        var process = Launch(config);
        var supervisor = new ContainerdSupervisor(config, process, log);
        try
        {
            await supervisor.WaitReadyAsync(ct);
        }
        catch
        {
            await supervisor.DisposeAsync();
            throw;
        }

        LogStarted(log, process.Id, config.SocketPath);
        supervisor._watch = Task.Run(() => supervisor.WatchAsync(supervisor._stopping.Token), CancellationToken.None);
        return supervisor;
    }

    private static Process Launch(ContainerdConfig config)
    {
        var containerd = FindExecutable("containerd") ?? throw new InvalidOperationException(MissingPrerequisites() ?? "containerd not found");
        // sh execs setsid which execs containerd: one PID throughout, in its own session, output to the log file.
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec setsid \"$0\" --config \"$1\" >>\"$2\" 2>&1 </dev/null");
        psi.ArgumentList.Add(containerd);
        psi.ArgumentList.Add(config.ConfigPath);
        psi.ArgumentList.Add(config.LogPath);
        // PATH must reach runc and the shim.
        psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start containerd");
        File.WriteAllText(config.PidPath, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        return process;
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        using var cri = new CriClient(_config.SocketPath);
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < ReadyTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"containerd exited with code {_process.ExitCode} while starting; its log ({_config.LogPath}) ends with:\n{LogTail()}");
            }

            if (File.Exists(_config.SocketPath))
            {
                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    attempt.CancelAfter(TimeSpan.FromSeconds(2));
                    await cri.VersionAsync(attempt.Token);
                    return;
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    last = e;
                }
            }

            await Task.Delay(50, ct);
        }

        throw new InvalidOperationException($"containerd did not answer on {_config.SocketPath} within {ReadyTimeout.TotalSeconds:0} s ({last?.Message ?? "no socket"}); its log ends with:\n{LogTail()}");
    }

    /// <summary>Restarts containerd when it dies under us (pods keep running in their shims).</summary>
    private async Task WatchAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            failures++;
            LogDied(_log, _process.ExitCode, _config.LogPath);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, failures)), ct);
                _process.Dispose();
                _process = Launch(_config);
                await WaitReadyAsync(ct);
                LogStarted(_log, _process.Id, _config.SocketPath);
                failures = 0;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                LogRestartFailed(_log, e.Message);
            }
        }
    }

    /// <summary>A containerd left from an earlier run of the same folder holds the socket: stop it first.</summary>
    private static async Task StopStaleAsync(ContainerdConfig config, ILogger log)
    {
        if (!File.Exists(config.PidPath) || !int.TryParse(File.ReadAllText(config.PidPath).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        string cmdline;
        try
        {
            cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return;
        }

        if (!cmdline.Contains("containerd", StringComparison.Ordinal) || !cmdline.Contains(config.ConfigPath, StringComparison.Ordinal))
        {
            return;
        }

        LogStale(log, pid);
        using var stale = Process.GetProcessById(pid);
        await TerminateAsync(stale);
    }

    private static async Task TerminateAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, SigTerm);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(_config.LogPath);
            return string.Join('\n', lines.TakeLast(15));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    internal static string? FindExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]))
        {
            var path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_watch is not null)
        {
            await _watch;
        }

        await TerminateAsync(_process);
        _process.Dispose();
        try
        {
            File.Delete(_config.PidPath);
        }
        catch (IOException)
        {
        }

        _stopping.Dispose();
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    [LoggerMessage(LogLevel.Information, "containerd started (pid {Pid}, socket {Socket})")]
    private static partial void LogStarted(ILogger log, int pid, string socket);

    [LoggerMessage(LogLevel.Warning, "containerd exited with code {Code}; restarting it (log: {LogPath})")]
    private static partial void LogDied(ILogger log, int code, string logPath);

    [LoggerMessage(LogLevel.Warning, "Restarting containerd failed: {Reason}")]
    private static partial void LogRestartFailed(ILogger log, string reason);

    [LoggerMessage(LogLevel.Information, "Stopping containerd left from an earlier run (pid {Pid})")]
    private static partial void LogStale(ILogger log, int pid);
}
