namespace Plue.Protocol;

/// <summary><c>auth/claudeCode</c> params: the CLI to check (else <c>claude</c> on PATH).</summary>
public sealed record ClaudeCodeAuthParams
{
    public string? CliPath { get; init; }
}
