using Microsoft.Extensions.Logging;

namespace Plue.Sidecar;

/// <summary>
/// Logs to stderr, one line per entry, because stdout carries only the protocol; the extension shows these lines in its
/// "Plue" output channel. Its own factory rather than Microsoft.Extensions.Logging's: that one's filter rules, and the
/// type names its typed loggers read by reflection, were on the path to the answer to <c>initialize</c>; this one does
/// nothing until a line is written.
/// </summary>
public sealed class StderrLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    private readonly Lazy<TextWriter> _out = new(() => TextWriter.Synchronized(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true }));

    /// <summary>The level PLUE_LOG_LEVEL names (trace, debug, information, warning, error, critical, none; any case), else <paramref name="fallback"/>.</summary>
    public static LogLevel Level(string? name, LogLevel fallback) => name?.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" => LogLevel.Information,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => fallback,
    };

    /// <summary>
    /// A category's logger; the line shows the category's last dotted part (a class name). The MCP SDK's log whole
    /// messages at Debug and Trace, and tool results may carry secrets: theirs log Information and above, whatever the level.
    /// </summary>
    public ILogger CreateLogger(string categoryName) => new StderrLogger(_out, categoryName[(categoryName.LastIndexOf('.') + 1)..],
        categoryName.StartsWith("ModelContextProtocol", StringComparison.Ordinal) ? (LogLevel)Math.Max((int)minimum, (int)LogLevel.Information) : minimum);

    /// <summary>A typed logger named without reflection, for the services made before the feature host.</summary>
    public ILogger<T> CreateLogger<T>(string name) => new Named<T>(CreateLogger(name));

    /// <summary>Every line goes to stderr: there is nothing else to add.</summary>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the sidecar logs to stderr only");

    public void Dispose()
    {
        if (_out.IsValueCreated) _out.Value.Flush();
    }

    private sealed class Named<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }

    private sealed class StderrLogger(Lazy<TextWriter> output, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.Now:HH:mm:ss.fff} [{Level(logLevel)}] {category}: {formatter(state, exception)}";
            output.Value.WriteLine(exception is null ? line : $"{line}\n{exception}");
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
