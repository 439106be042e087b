using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Plue.Tests.Support;

/// <summary>Keeps every message logged at or above <paramref name="minimum"/>, as the sidecar's log would show it.</summary>
internal sealed class RecordingLogger<T>(LogLevel minimum = LogLevel.Debug) : ILogger<T>
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Messages.Enqueue(formatter(state, exception));
        }
    }
}
