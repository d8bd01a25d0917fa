using k8s.Models;
using KubeWeb.Controllers.Runtime;
using KubeWeb.Core.Informers;
using Microsoft.Extensions.Logging;

namespace KubeWeb.Controllers.Tests.Runtime;

public sealed class ReconcilerTests
{
    [Fact]
    public async Task A_conflict_requeues_the_key_with_back_off_and_logs_no_warning_while_other_errors_warn()
    {
        var log = new ListLogger();
        var reconciler = new Failing(log,
        [
            new ApiStatusException(new V1Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" }),
            new InvalidOperationException("broken"),
        ]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var workers = reconciler.RunWorkersAsync(1, cts.Token);

        reconciler.Queue.Add("ns/a");
        await reconciler.Done.Task.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await workers;

        Assert.Equal(3, reconciler.Calls);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(log.Entries, e => e is { Level: LogLevel.Debug } && e.Message.Contains("requeues ns/a after a conflict", StringComparison.Ordinal));
        Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
    }

    private sealed class Failing(ILogger log, Exception[] failures) : Reconciler(TimeProvider.System, log)
    {
        public int Calls;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task ReconcileAsync(string key, CancellationToken ct)
        {
            var call = Interlocked.Increment(ref Calls);
            if (call <= failures.Length)
            {
                throw failures[call - 1];
            }

            Done.TrySetResult();
            return Task.CompletedTask;
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
