using Microsoft.Extensions.Logging;

namespace Plue.Sidecar;

/// <summary>
/// Logs to stderr, one line per entry, because stdout carries only the protocol.
/// The extension shows these lines in its "Plue" output channel.
/// </summary>
public sealed class StderrLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    private readonly TextWriter _out = TextWriter.Synchronized(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });

    public ILogger CreateLogger(string categoryName) => new StderrLogger(_out, ShortName(categoryName), minimum);

    public void Dispose() => _out.Flush();

    private static string ShortName(string category) => category[(category.LastIndexOf('.') + 1)..];

    private sealed class StderrLogger(TextWriter output, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.Now:HH:mm:ss.fff} [{Level(logLevel)}] {category}: {formatter(state, exception)}";
            output.WriteLine(exception is null ? line : $"{line}\n{exception}");
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "error",
            _ => "fatal",
        };
    }
}
