using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Coldmod.Server.Tests.Infrastructure;

// Records every log entry of a server under test and echoes it to the test output. A test fails
// when the server logged an Error or Critical entry that the test did not declare as expected
// (after grpc-dotnet's VerifyNoErrorsScope).
public sealed class TestLogSink(ITestOutputHelper output) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentBag<Func<LogEntry, bool>> _expected = [];

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public void ExpectErrors(Func<LogEntry, bool> isExpected) => _expected.Add(isExpected);

    public void AssertNoUnexpectedErrors()
    {
        var unexpected = _entries
            .Where(e => e.Level >= LogLevel.Error && !_expected.Any(isExpected => isExpected(e)))
            .ToList();
        Assert.True(unexpected.Count == 0, "The server logged unexpected errors:\n" + string.Join("\n", unexpected));
    }

    public ILogger CreateLogger(string categoryName) => new SinkLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry);
        try
        {
            output.WriteLine(entry.ToString());
        }
        catch (InvalidOperationException)
        {
            // The test has finished; the entry is still recorded.
        }
    }

    public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() =>
            $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : Environment.NewLine + Exception)}";
    }

    private sealed class SinkLogger(TestLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Add(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception));
            }
        }
    }
}
