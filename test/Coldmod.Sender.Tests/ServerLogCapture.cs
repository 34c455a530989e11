using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coldmod.Sender.Tests;

// Every entry a server under test logs, at Debug and above, with the exception it carried: what an operator's console
// would show for the same events.
internal sealed class ServerLogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() =>
            $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : Environment.NewLine + Exception)}";
    }

    private sealed class CapturingLogger(ServerLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture._entries.Enqueue(new Entry(logLevel, category, eventId, formatter(state, exception), exception));
            }
        }
    }
}
