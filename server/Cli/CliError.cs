namespace Plue.Cli;

/// <summary>A failure the command explains in one message on stderr, saying what to do next; the exit code says what kind.</summary>
internal sealed class CliError(string message, int exitCode = CliError.Failed) : Exception(message)
{
    /// <summary>The command ran and failed (the provider, the store, the vault).</summary>
    public const int Failed = 1;

    /// <summary>The command was asked something it cannot do (an unknown name, a missing argument).</summary>
    public const int Usage = 2;

    public int ExitCode { get; } = exitCode;
}
