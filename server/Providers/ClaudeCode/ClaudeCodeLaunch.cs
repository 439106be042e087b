namespace Plue.Providers.ClaudeCode;

/// <summary>
/// What a CLI process is started with. A session reuses its process while a turn asks for the same launch
/// and restarts it otherwise (these are argv flags, fixed for the process's life).
/// </summary>
public sealed record ClaudeCodeLaunch
{
    public required string CliPath { get; init; }
    public required string WorkingDirectory { get; init; }
    public required string Model { get; init; }
    /// <summary>The chat's or task's sandbox policy; null: the workspace's. A changed policy starts the CLI again.</summary>
    public Sandbox.SandboxPolicy? Sandbox { get; init; }
    /// <summary>The host's sandbox (the same for every launch of a host): its Plue home hidden, its agents' proxies.</summary>
    public Sandbox.SandboxContext? Confinement { get; init; }
    public int? MaxTurns { get; init; }
    public string? SystemPrompt { get; init; }
    /// <summary>The <c>--tools</c> list, e.g. "Read,Edit"; null for the CLI's default set. It names built-in tools only.</summary>
    public string? Tools { get; init; }
    /// <summary>
    /// The MCP servers it starts, and only these (<c>--strict-mcp-config</c>: none of the user's or the workspace's own);
    /// null leaves the CLI to its own configuration, as a chat does.
    /// </summary>
    public ClaudeCodeMcpConfig? McpConfig { get; init; }
    /// <summary>The <c>--allowedTools</c> rules: tools it runs without asking, e.g. "mcp__docs".</summary>
    public string? AllowedTools { get; init; }
    /// <summary>The <c>--disallowedTools</c> rules: tools kept from the model, e.g. an MCP server's tools the task was not given.</summary>
    public string? DisallowedTools { get; init; }

    /// <summary>
    /// False in a workspace the user has not trusted: the CLI loads only the user's settings (<c>--setting-sources user</c>:
    /// no project or local settings, hooks, commands, agents or CLAUDE.md of the workspace) and only the MCP servers Plue
    /// passes (<c>--strict-mcp-config</c>: never the workspace's <c>.mcp.json</c>). A changed trust starts the CLI again.
    /// </summary>
    public bool WorkspaceTrusted { get; init; } = true;

    /// <summary>The CLI's own session id to go on with (<c>--resume</c>): set only for the process that resumes, never compared.</summary>
    public string? Resume { get; init; }

    /// <summary>
    /// The argv after the executable. Never a prompt or a secret: those go over stdin, files and the environment
    /// (<paramref name="systemPromptFile"/> holds <see cref="SystemPrompt"/>, <paramref name="mcpConfigFile"/> <see cref="McpConfig"/>).
    /// </summary>
    public IReadOnlyList<string> Arguments(string? systemPromptFile, string? mcpConfigFile = null)
    {
        // --permission-mode default: a defaultMode in the user's or the workspace's settings (acceptEdits, bypassPermissions)
        // must not answer for the sidecar, whose approvals (the chat's mode, the task's auto_approve) decide what asks.
        List<string> args = ["-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
            "--input-format", "stream-json", "--model", Model, "--permission-prompt-tool", "stdio", "--permission-mode", "default"];
        if (Resume is not null) args.AddRange(["--resume", Resume]);
        if (MaxTurns is { } maxTurns) args.AddRange(["--max-turns", maxTurns.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (systemPromptFile is not null) args.AddRange(["--system-prompt-file", systemPromptFile]);
        if (Tools is not null) args.AddRange(["--tools", Tools]);
        if (!WorkspaceTrusted) args.AddRange(["--setting-sources", "user"]);
        if (mcpConfigFile is not null) args.AddRange(["--mcp-config", mcpConfigFile, "--strict-mcp-config"]);
        else if (!WorkspaceTrusted) args.Add("--strict-mcp-config");
        if (AllowedTools is { Length: > 0 } allowed) args.AddRange(["--allowedTools", allowed]);
        if (DisallowedTools is { Length: > 0 } disallowed) args.AddRange(["--disallowedTools", disallowed]);
        return args;
    }
}
