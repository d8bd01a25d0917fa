using System.IO.Pipelines;
using KubeWeb.Agent.Streams;
using KubeWeb.Agent.Streams.Logs;
using KubeWeb.Core.Agents;

namespace KubeWeb.Agent.Runtime.Simulated;

/// <summary>
/// The simulated runtime's streams: each container writes a CRI log (start and stop lines, a
/// <c>tick</c> line per <see cref="SimulatedRuntimeOptions.LogInterval"/>), exec runs
/// <see cref="SimulatedShell"/>, attach follows the log and echoes stdin into it, and declared ports
/// answer through <see cref="SimulatedPortServer"/>.
/// </summary>
public sealed partial class SimulatedRuntime : IPodStreams
{
    private readonly string _logRoot = options.LogDirectory
        ?? Path.Combine(Path.GetTempPath(), "kubeweb-simulated-logs", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private int _ticking;

    public Task<IPodLogReader> OpenLogsAsync(PodStreamTarget target, PodLogRequest request, CancellationToken ct)
    {
        var (sim, c) = Resolve(target);
        if (request.Previous)
        {
            if (c.RestartCount == 0)
            {
                throw new PodStreamException(400, $"previous terminated container \"{c.Name}\" in pod \"{sim.Name}\" not found");
            }

            return Task.FromResult<IPodLogReader>(new CriLogReader(LogPath(sim, c.Name, c.RestartCount - 1), request, () => false, time));
        }

        if (c.State == ContainerState.Waiting)
        {
            throw new PodStreamException(400, $"container \"{c.Name}\" in pod \"{sim.Name}\" is waiting to start: {c.Reason ?? "ContainerCreating"}");
        }

        return Task.FromResult<IPodLogReader>(new CriLogReader(LogPath(sim, c.Name, c.RestartCount), request, () => IsRunning(sim.Uid, c.Name, c.RestartCount), time));
    }

    public Task<IContainerProcess> ExecAsync(PodStreamTarget target, PodExecRequest request, CancellationToken ct)
    {
        var (sim, c) = RequireRunning(target);
        if (request.Command.Count == 0)
        {
            throw new PodStreamException(400, "you must specify at least one command for the container");
        }

        return Task.FromResult<IContainerProcess>(new SimulatedProcess(request, (stdin, stdout, stderr, token) =>
            new SimulatedShell(sim.Name, stdin, stdout, stderr, time).RunAsync(request.Command, token)));
    }

    public Task<IContainerProcess> AttachAsync(PodStreamTarget target, PodExecRequest request, CancellationToken ct)
    {
        var (sim, c) = RequireRunning(target);
        var path = LogPath(sim, c.Name, c.RestartCount);
        return Task.FromResult<IContainerProcess>(new SimulatedProcess(request, async (stdin, stdout, stderr, token) =>
        {
            // The main process's output from now on; what arrives on stdin it "prints".
            var follow = new CriLogReader(path, new PodLogRequest(Follow: true, TailLines: 0), () => IsRunning(sim.Uid, c.Name, c.RestartCount), time);
            var echo = stdin is null ? Task.CompletedTask : EchoIntoLogAsync(stdin, path, token);
            await follow.CopyToAsync(stdout, token);
            return CurrentContainer(sim.Uid, c.Name)?.ExitCode ?? 0;
        }));
    }

    public Task<Stream> PortForwardAsync(PodStreamTarget target, int port, CancellationToken ct)
    {
        var (sim, _) = RequireRunning(target with { Container = null });
        if (!sim.Ports.Contains(port))
        {
            throw new PodStreamException(500, $"error forwarding port {port} to pod {sim.Uid}: failed to connect to localhost:{port} inside namespace \"{sim.Uid}\": connection refused");
        }

        return Task.FromResult(SimulatedPortServer.Connect(sim.Name, port));
    }

    private async Task EchoIntoLogAsync(Stream stdin, string path, CancellationToken ct)
    {
        using var reader = new StreamReader(stdin);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            CriLogWriter.Append(path, time.GetUtcNow(), false, line);
        }
    }

    private (SimPod Pod, RuntimeContainer Container) Resolve(PodStreamTarget target)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(target.Uid, out var sim))
            {
                throw new PodStreamException(404, $"pod \"{target.Name}\" (uid {target.Uid}) is not running on this node");
            }

            var c = target.Container is { } name
                ? sim.Containers.FirstOrDefault(x => x.Name == name)
                : sim.Containers.FirstOrDefault(x => !x.IsInit);
            return c is null
                ? throw new PodStreamException(400, $"container {target.Container} is not valid for pod {target.Name}")
                : (sim, c);
        }
    }

    private (SimPod Pod, RuntimeContainer Container) RequireRunning(PodStreamTarget target)
    {
        var (sim, c) = Resolve(target);
        return c.State == ContainerState.Running && sim.Stopping is null
            ? (sim, c)
            : throw new PodStreamException(400, $"container not found (\"{c.Name}\")");
    }

    private bool IsRunning(string uid, string container, int restartCount) =>
        CurrentContainer(uid, container) is { State: ContainerState.Running } c && c.RestartCount == restartCount;

    private RuntimeContainer? CurrentContainer(string uid, string container)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(uid, out var sim) ? sim.Containers.FirstOrDefault(c => c.Name == container) : null;
        }
    }

    private string PodLogDir(SimPod sim) => Path.Combine(_logRoot, $"{sim.Namespace}_{sim.Name}_{sim.Uid}");

    private string LogPath(SimPod sim, string container, int restartCount) =>
        Path.Combine(PodLogDir(sim), container, $"{restartCount}.log");

    private void LogStarted(SimPod sim, RuntimeContainer c)
    {
        var path = LogPath(sim, c.Name, c.RestartCount);
        var now = time.GetUtcNow();
        // One write for the three lines: a container start was three folder checks and three opens.
        CriLogWriter.Append(path, now, (false, "simulated container ", true), (false, $"{c.Name} started (image {c.Image})", false), (true, $"{c.Name}: ready", false));
        if (options.LogInterval is { } interval && Interlocked.Exchange(ref _ticking, 1) == 0)
        {
            _ = TickAsync(interval);
        }
    }

    private void LogStopped(SimPod sim, RuntimeContainer c) =>
        CriLogWriter.Append(LogPath(sim, c.Name, c.RestartCount), time.GetUtcNow(), false, $"{c.Name} stopping");

    private void DeleteLogs(SimPod sim)
    {
        try
        {
            Directory.Delete(PodLogDir(sim), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A reader still holds a file open; the next removal or the temp cleaner takes it.
        }
    }

    /// <summary>One loop for all containers: a <c>tick N</c> line each interval while any runs.</summary>
    private async Task TickAsync(TimeSpan interval)
    {
        var n = 0;
        while (true)
        {
            await Task.Delay(interval, time);
            n++;
            List<string> paths;
            lock (_lock)
            {
                paths = [.. _pods.Values.Where(p => p.Stopping is null)
                    .SelectMany(p => p.Containers.Where(c => c.State == ContainerState.Running).Select(c => LogPath(p, c.Name, c.RestartCount)))];
                if (paths.Count == 0)
                {
                    Volatile.Write(ref _ticking, 0);
                    return;
                }
            }

            var now = time.GetUtcNow();
            foreach (var path in paths)
            {
                try
                {
                    CriLogWriter.Append(path, now, false, $"tick {n}");
                }
                catch (IOException)
                {
                    // The pod was removed meanwhile.
                }
            }
        }
    }

    /// <summary>A simulated process: pipes for the standard streams, a body that runs on them.</summary>
    private sealed class SimulatedProcess : IContainerProcess
    {
        private readonly Pipe? _stdin;
        private readonly Pipe _stdout = new();
        private readonly Pipe? _stderr;
        private readonly CancellationTokenSource _cts = new();

        public SimulatedProcess(PodExecRequest request, Func<Stream?, Stream, Stream, CancellationToken, Task<int>> body)
        {
            _stdin = request.Stdin ? new Pipe() : null;
            _stderr = request.Stderr && !request.Tty ? new Pipe() : null;
            Stdin = _stdin?.Writer.AsStream();
            Stdout = request.Stdout || request.Tty ? _stdout.Reader.AsStream() : null;
            Stderr = _stderr?.Reader.AsStream();
            Exited = RunAsync(request, body);
        }

        public Stream? Stdin { get; }

        public Stream? Stdout { get; }

        public Stream? Stderr { get; }

        public Task<int> Exited { get; }

        public void Resize(int width, int height)
        {
        }

        private async Task<int> RunAsync(PodExecRequest request, Func<Stream?, Stream, Stream, CancellationToken, Task<int>> body)
        {
            await Task.Yield();
            var stdout = Stdout is null ? Stream.Null : _stdout.Writer.AsStream();
            var stderr = _stderr is not null ? _stderr.Writer.AsStream() : request.Tty ? stdout : Stream.Null;
            int code;
            try
            {
                code = await body(_stdin?.Reader.AsStream(), stdout, stderr, _cts.Token);
            }
            catch (OperationCanceledException)
            {
                code = 137;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                code = 1;
            }
            finally
            {
                await _stdout.Writer.CompleteAsync();
                if (_stderr is not null)
                {
                    await _stderr.Writer.CompleteAsync();
                }

                if (_stdin is not null)
                {
                    await _stdin.Reader.CompleteAsync();
                }
            }

            return code;
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            try
            {
                await Exited;
            }
            catch (OperationCanceledException)
            {
            }

            _cts.Dispose();
        }
    }
}
