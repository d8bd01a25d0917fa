using System.Diagnostics;
using System.Text;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>
/// A kubectl that keeps running (<c>get -w</c>). Lines are collected as they arrive; a test waits
/// for the line it expects, then disposing stops this process by its PID (and nothing else).
/// </summary>
public sealed class KubectlWatch : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Action<string> _log;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal KubectlWatch(Process process, Action<string> log)
    {
        _process = process;
        _log = log;
        _process.OutputDataReceived += (_, e) => Add(e.Data, stderr: false);
        _process.ErrorDataReceived += (_, e) => Add(e.Data, stderr: true);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits until a stdout line matches; fails the test (with everything seen) on timeout or exit.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string description, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                changed = _changed.Task;
            }

            var remaining = limit - deadline.Elapsed;
            var exited = _process.HasExited;
            if (exited)
            {
                // Drain what it printed before exiting, then look one last time.
                await _process.WaitForExitAsync();
                lock (_gate)
                {
                    if (_lines.FirstOrDefault(match) is { } last)
                    {
                        return last;
                    }
                }
            }

            if (remaining <= TimeSpan.Zero || exited)
            {
                Assert.Fail($"kubectl (pid {Pid}) {(exited ? "exited" : "timed out")} before printing {description}\n{Describe()}");
            }

            try
            {
                // Exits are noticed within the poll interval even without output.
                await changed.WaitAsync(remaining < TimeSpan.FromMilliseconds(500) ? remaining : TimeSpan.FromMilliseconds(500));
            }
            catch (TimeoutException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _log($"(background kubectl pid {Pid} stopped)\n{Describe()}");
        _process.Dispose();
    }

    private string Describe()
    {
        lock (_gate)
        {
            return $"--- stdout\n{string.Join('\n', _lines)}\n--- stderr\n{_stderr}";
        }
    }

    private void Add(string? line, bool stderr)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource previous;
        lock (_gate)
        {
            if (stderr)
            {
                _stderr.AppendLine(line);
            }
            else
            {
                _lines.Add(line);
            }

            previous = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
