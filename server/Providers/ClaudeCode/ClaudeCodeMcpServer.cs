namespace Plue.Providers.ClaudeCode;

/// <summary>One stdio MCP server for the CLI to start: what it runs and every variable it gets (values may be secrets).</summary>
public sealed record ClaudeCodeMcpServer
{
    /// <summary>The <c>&lt;server&gt;</c> of the CLI's <c>mcp__&lt;server&gt;__&lt;tool&gt;</c> names.</summary>
    public required string Name { get; init; }
    public required string Command { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public required IReadOnlyDictionary<string, string?> Env { get; init; }
}
