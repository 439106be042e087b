using Microsoft.Extensions.Logging;

namespace Plue.Providers.ClaudeCode;

/// <summary>Where and how <see cref="ClaudeCodeChatClient"/> runs the CLI.</summary>
public sealed record ClaudeCodeChatClientOptions
{
    /// <summary>The workspace folder: the CLI's working directory, where its tools act.</summary>
    public required string WorkingDirectory { get; init; }
    /// <summary>Asked for every tool the CLI wants to run (the sidecar asks the user with permission/request); null denies them all.</summary>
    public Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? Approver { get; init; }
    /// <summary>The live sessions, shared across clients so a chat keeps its process; a private pool when null.</summary>
    public ClaudeCodeSessions? Sessions { get; init; }
    /// <summary>Extra variables for the child (a null value removes one), e.g. CLAUDE_CONFIG_DIR.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>The chat's or task's sandbox policy the CLI runs under; null: the workspace's.</summary>
    public Sandbox.SandboxPolicy? Sandbox { get; init; }
    /// <summary>The host's sandbox (its Plue home hidden, its agents' proxies); null outside a host: the default home hidden, refusals not told.</summary>
    public Sandbox.SandboxContext? Confinement { get; init; }
    /// <summary>Whether the user trusts the workspace; an untrusted one's settings, hooks and MCP servers are not loaded.</summary>
    public bool WorkspaceTrusted { get; init; } = true;
    public ILogger? Logger { get; init; }
}
