using Plue.Codex.Records;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Agents.Mcp;

/// <summary>
/// The configured MCP servers: the <c>mcp-server</c> codex records (collection <c>mcp-servers</c>), as
/// <see cref="McpServerKind"/> reads them, then the used servers of the MCP files (<see cref="McpFileServers"/>), never
/// written into the store. A record wins over a file's server of the same slug.
/// </summary>
public sealed class McpServerConfigs(CodexService codex, McpServerKind kind, CustomizationRegistry customizations, WorkspaceContext workspace, IVault vault)
{
    public IReadOnlyList<McpServerConfig> List()
    {
        var records = Records().Select(McpServerKind.Config).ToList();
        var taken = records.Select(c => c.Slug).ToHashSet(StringComparer.Ordinal);
        var files = customizations.McpServers.Where(s => s.Reason is null)
            .Select(s => McpFileServers.Config(s, workspace.Folders.FirstOrDefault(), CustomizationRegistry.UserHome) with { Unseen = !customizations.KnownFromStart(s) })
            .Where(c => taken.Add(c.Slug));
        return [.. records, .. files];
    }

    /// <summary>The servers as clients see them (<c>mcp/servers</c>): the records, then the files' (used or not, read-only).</summary>
    public IReadOnlyList<Protocol.McpServer> Servers()
    {
        var records = Records().Select(kind.Server).ToList();
        var taken = records.Select(s => s.Slug).ToHashSet(StringComparer.Ordinal);
        var stored = vault.StoredOrNone();
        var files = customizations.McpServers.Select(s => McpFileServers.Server(s, stored))
            .Select(s => s.Ignored is null && !taken.Add(s.Slug) ? s with { Enabled = false, Ignored = $"an MCP server record is named {s.Slug} too, and it takes precedence" } : s);
        return [.. records, .. files];
    }

    private IReadOnlyList<CodexRecord> Records() =>
        codex.List(new CodexQuery { TemplateIds = [McpServerConfig.TemplateId], Sort = CodexSort.TitleAsc, Limit = 1000 }).Items;

    public McpServerConfig? Find(string slug) => List().FirstOrDefault(c => c.Slug == slug);
}
