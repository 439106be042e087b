namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The Claude Code CLI failed a turn: it reported an error result (bad key, max turns, API error), crashed, exited,
/// or stopped answering. The message is meant for the user; <see cref="StderrTail"/> helps diagnose a crash.
/// </summary>
/// <remarks>Not a <see cref="ProviderException"/>: a CLI fails as a process (exit code, stderr), not with an HTTP status.</remarks>
public sealed class ClaudeCodeException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The <c>result</c> line's subtype (success, error_max_turns, error_during_execution, ...) when there was one.</summary>
    public string? ResultSubtype { get; init; }
    /// <summary>The <c>result</c> line's text (e.g. "Not logged in", an API error message).</summary>
    public string? ResultText { get; init; }
    /// <summary>The HTTP status of the model API error the CLI hit, e.g. 401.</summary>
    public int? ApiErrorStatus { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>The last few KB the CLI wrote to stderr.</summary>
    public string? StderrTail { get; init; }
}
