using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pairwise.Tests.Infrastructure;

/// <summary>Collects what the server logs at error level or above (register it as an <see cref="ILoggerProvider"/>).</summary>
public sealed class ErrorLog : ILoggerProvider, ILogger
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Entries.Enqueue($"{formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
        }
    }

    public void Dispose()
    {
    }
}
