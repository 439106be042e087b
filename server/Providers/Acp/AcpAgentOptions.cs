using Microsoft.Extensions.Logging;
using Plue.Providers.ClaudeCode;

namespace Plue.Providers.Acp;

/// <summary>Where and how <see cref="AcpAgentChatClient"/> runs an agent, and who answers its questions.</summary>
public sealed record AcpAgentOptions
{
    /// <summary>
    /// The question (<see cref="Approver"/>'s tool) asked before an agent first runs in a workspace the user has not
    /// trusted: Plue cannot keep an ACP agent from reading the workspace's own settings, instructions and hooks.
    /// </summary>
    public const string UntrustedTool = "acp_untrusted_workspace";

    /// <summary>The workspace folder: the agent's working directory and its session's <c>cwd</c>.</summary>
    public required string WorkingDirectory { get; init; }
    /// <summary>Asked for every <c>session/request_permission</c> (the sidecar's approvals); null refuses them all.</summary>
    public Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? Approver { get; init; }
    /// <summary>The live agents, shared so a chat keeps its agent between turns.</summary>
    public required AcpAgentSessions Sessions { get; init; }
    /// <summary>What serves the agent's <c>fs/*</c> requests; null refuses them.</summary>
    public IAcpWorkspaceFiles? Files { get; init; }
    /// <summary>The chat's or task's sandbox policy the agent runs under (and its <c>fs/write_text_file</c> writes by); null: the workspace's.</summary>
    public Sandbox.SandboxPolicy? Sandbox { get; init; }
    /// <summary>The host's sandbox (its Plue home hidden, its agents' proxies); null outside a host: the default home hidden, refusals not told.</summary>
    public Sandbox.SandboxContext? Confinement { get; init; }
    /// <summary>False in a workspace the user has not trusted: the first turn asks before the agent starts (<see cref="UntrustedTool"/>).</summary>
    public bool WorkspaceTrusted { get; init; } = true;
    public ILogger? Logger { get; init; }
}
