namespace Plue.Protocol;

/// <summary>
/// <c>auth/claudeCode</c> result: whether the Claude Code CLI is installed (<c>claude --version</c>) and logged in
/// (<c>claude auth status --json</c>). <c>authMethod</c>: none, api_key, oauth_token, claude.ai, third_party.
/// </summary>
public sealed record ClaudeCodeAuthResult
{
    public required bool Installed { get; init; }
    public string? Path { get; init; }
    public string? Version { get; init; }
    public required bool LoggedIn { get; init; }
    public string? AuthMethod { get; init; }
    /// <summary>Why the check failed (not found, timed out), for the user.</summary>
    public string? Error { get; init; }
}
