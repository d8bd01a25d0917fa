using System.Globalization;
using Microsoft.Extensions.Logging;

namespace KubeWeb.E2E.Infrastructure;

/// <summary>Appends the server's log lines (with exceptions) to one file, so test output stays quiet.</summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(path, line);
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var time = DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var text = $"{time} {logLevel} {category}: {formatter(state, exception)}\n";
            if (exception is not null)
            {
                text += exception + "\n";
            }

            owner.Write(text);
        }
    }
}
