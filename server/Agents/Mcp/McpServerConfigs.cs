using Plue.Codex.Records;
using Plue.Protocol;

namespace Plue.Agents.Mcp;

/// <summary>The configured MCP servers: the <c>mcp-server</c> codex records (collection <c>mcp-servers</c>), as <see cref="McpServerKind"/> reads them.</summary>
public sealed class McpServerConfigs(CodexService codex, McpServerKind kind)
{
    public IReadOnlyList<McpServerConfig> List() => [.. Records().Select(McpServerKind.Config)];

    /// <summary>The servers as clients see them (<c>mcp/servers</c>).</summary>
    public IReadOnlyList<Protocol.McpServer> Servers() => [.. Records().Select(kind.Server)];

    private IReadOnlyList<CodexRecord> Records() =>
        codex.List(new CodexQuery { TemplateIds = [McpServerConfig.TemplateId], Sort = CodexSort.TitleAsc, Limit = 1000 }).Items;

    public McpServerConfig? Find(string slug) => List().FirstOrDefault(c => c.Slug == slug);
}
