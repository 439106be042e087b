using Microsoft.Extensions.Logging;
using Plue.Agents.Tools;
using Plue.Providers.ClaudeCode;
using Plue.Workspace;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// The MCP servers a claude-code task's CLI starts itself (its tool loop cannot call the sidecar's): those its grant
/// names, as configured in their records, with vault references resolved (they reach the CLI in a private file, never
/// argv). A trusted server's tools run without asking in a trusted workspace, as on the sidecar's own loop; the tools of
/// a server the task was given only some of are kept from the model; every other call is asked of the user.
/// </summary>
public sealed partial class ClaudeCodeTaskMcp(McpServerConfigs configs, McpServers servers, IVault vault, WorkspaceContext session, ILogger<ClaudeCodeTaskMcp> logger,
    Sandbox.SandboxContext sandbox)
{
    /// <summary>What the launch gets: the servers, and the <c>--allowedTools</c> and <c>--disallowedTools</c> rules (null when none).</summary>
    public sealed record Setup(ClaudeCodeMcpConfig Config, string? AllowedTools, string? DisallowedTools);

    /// <summary>The task's MCP servers for the CLI; an empty config when it has none (the CLI then starts none of its own either).</summary>
    public async Task<Setup> ForAsync(ToolGrant grant, string workingDirectory, CancellationToken cancellationToken)
    {
        var started = new List<ClaudeCodeMcpServer>();
        var allowed = new List<string>();
        var disallowed = new List<string>();
        foreach (var granted in grant.Allowed.Where(n => ToolNames.McpServerOf(n) is not null).GroupBy(n => ToolNames.McpServerOf(n)!, StringComparer.Ordinal))
        {
            var name = granted.Key;
            if (Server(name, workingDirectory) is not { } server) continue;
            started.Add(server.Entry);
            if (server.Config.Trusted && session.Trusted) allowed.AddRange(granted);
            if (!granted.Contains(ToolNames.McpPrefix + name, StringComparer.Ordinal)) disallowed.AddRange(await UngrantedAsync(name, grant, cancellationToken).ConfigureAwait(false));
        }
        return new Setup(new ClaudeCodeMcpConfig(started), Rules(allowed), Rules(disallowed));
    }

    /// <summary>The server as the CLI starts it; null (and a log line) when it cannot be: calls of its tools then fail in the CLI.</summary>
    private (McpServerConfig Config, ClaudeCodeMcpServer Entry)? Server(string name, string workingDirectory)
    {
        try
        {
            var config = configs.Find(name) ?? throw new McpException($"No MCP server '{name}' is configured.");
            if (!config.Enabled) throw new McpException($"The MCP server '{name}' is disabled in its record.");
            if (config.IsRemote) throw new McpException($"The MCP server '{name}' is remote ({config.Url}); a Claude Code task is given local (stdio) servers only.");
            var options = McpLaunch.Options(config, vault, workingDirectory, policy: sandbox.Workspace, plueHome: sandbox.PlueHome);
            return (config, new ClaudeCodeMcpServer
            {
                Name = config.Slug,
                Command = options.Command,
                Args = [.. options.Arguments ?? []],
                Env = new Dictionary<string, string?>(options.EnvironmentVariables ?? new Dictionary<string, string?>(), StringComparer.Ordinal),
            });
        }
        catch (McpException e)
        {
            LogUnavailable(name, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The server's tools outside the grant, learnt by starting it in the sidecar (the CLI offers a server's every tool);
    /// none when it cannot start, and the approver still refuses them.
    /// </summary>
    private async Task<IEnumerable<string>> UngrantedAsync(string server, ToolGrant grant, CancellationToken cancellationToken)
    {
        try
        {
            var tools = await servers.ToolsAsync(server, cancellationToken).ConfigureAwait(false);
            return tools.Select(t => t.Name).Where(t => !ToolNames.Matches(grant.Allowed, t));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnlisted(server, e.Message);
            return [];
        }
    }

    private static string? Rules(List<string> tools) => tools.Count == 0 ? null : string.Join(",", tools.Order(StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} is not available to the Claude Code task: {Reason}")]
    private partial void LogUnavailable(string server, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server}: its tools could not be listed, so none are kept from the model ({Reason}); the sidecar still refuses those not granted")]
    private partial void LogUnlisted(string server, string reason);
}
