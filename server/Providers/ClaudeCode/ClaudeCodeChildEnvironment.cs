namespace Plue.Providers.ClaudeCode;

/// <summary>
/// Variables every claude CLI the sidecar starts gets on top of the sidecar's own environment (a null value removes
/// one), e.g. an isolated CLAUDE_CONFIG_DIR. Empty unless the host is built with one.
/// </summary>
public sealed record ClaudeCodeChildEnvironment(IReadOnlyDictionary<string, string?>? Variables = null);
