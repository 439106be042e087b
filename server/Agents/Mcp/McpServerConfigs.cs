using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;

namespace Plue.Agents.Mcp;

/// <summary>The configured MCP servers: the <c>mcp-server</c> codex records (collection <c>mcp-servers</c>).</summary>
public sealed class McpServerConfigs(CodexService codex)
{
    public IReadOnlyList<McpServerConfig> List() =>
        [.. codex.List(new CodexQuery { TemplateIds = [McpServerConfig.TemplateId], Sort = CodexSort.TitleAsc, Limit = 1000 }).Items.Select(From)];

    public McpServerConfig? Find(string slug) => List().FirstOrDefault(c => c.Slug == slug);

    /// <summary>The record as a server configuration; the record must be of the <c>mcp-server</c> template.</summary>
    public static McpServerConfig From(CodexRecord record)
    {
        var fields = record.Fields;
        return new McpServerConfig
        {
            Slug = record.Slug,
            Title = record.Title,
            Version = record.Version,
            Transport = fields["transport"]?.GetValue<string>() ?? McpServerConfig.Stdio,
            Url = fields["url"]?.GetValue<string>() ?? "",
            Headers = [.. Strings(fields["headers"]).Select(h => Split(h, ':')).Select(h => KeyValuePair.Create(h.Key.Trim(), h.Value.Trim()))],
            ClientMetadataUrl = fields["oauth_client_metadata_url"]?.GetValue<string>() ?? "",
            Command = fields["command"]?.GetValue<string>() ?? "",
            Args = Strings(fields["args"]),
            Env = [.. Strings(fields["env"]).Select(e => Split(e, '='))],
            Trusted = fields["trusted"]?.GetValue<bool>() ?? false,
            Enabled = fields["enabled"]?.GetValue<bool>() ?? true,
        };
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValue<string>()).OfType<string>()] : [];

    private static KeyValuePair<string, string> Split(string entry, char separator)
    {
        var equals = entry.IndexOf(separator, StringComparison.Ordinal);
        return equals < 0 ? new(entry, "") : new(entry[..equals], entry[(equals + 1)..]);
    }
}
