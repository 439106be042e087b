namespace Plue.Agents.Tools;

/// <summary>
/// How a grant's names match a tool: exactly, or for MCP tools (<c>mcp__&lt;server&gt;__&lt;tool&gt;</c>) also by
/// <c>mcp__&lt;server&gt;</c>, which stands for every tool of that server.
/// </summary>
public static class ToolNames
{
    public const string McpPrefix = "mcp__";
    public const string McpSeparator = "__";

    public static bool Matches(IReadOnlySet<string> names, string tool) =>
        names.Contains(tool) || (McpServerOf(tool) is { } server && names.Contains(McpPrefix + server));

    /// <summary>The server part of <c>mcp__server</c> or <c>mcp__server__tool</c>; null for other names.</summary>
    public static string? McpServerOf(string name)
    {
        if (!name.StartsWith(McpPrefix, StringComparison.Ordinal)) return null;
        var rest = name[McpPrefix.Length..];
        var end = rest.IndexOf(McpSeparator, StringComparison.Ordinal);
        var server = end < 0 ? rest : rest[..end];
        return server.Length > 0 ? server : null;
    }

    public static string Mcp(string server, string tool) => McpPrefix + server + McpSeparator + tool;
}
