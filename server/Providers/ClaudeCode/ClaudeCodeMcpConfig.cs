using System.Text;
using System.Text.Json;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The MCP servers a CLI process starts, written to its <c>--mcp-config</c> file (never argv: their variables may be
/// secrets). Compared by content, so a turn with the same servers keeps its process; printed by name only.
/// </summary>
public sealed class ClaudeCodeMcpConfig : IEquatable<ClaudeCodeMcpConfig>
{
    private readonly string _content;

    public ClaudeCodeMcpConfig(IReadOnlyList<ClaudeCodeMcpServer> servers)
    {
        Servers = servers;
        _content = Json([]);
    }

    public IReadOnlyList<ClaudeCodeMcpServer> Servers { get; }

    /// <summary>
    /// The file: <c>{"mcpServers":{"&lt;name&gt;":{"type":"stdio","command","args","env"}}}</c>. The CLI starts a server
    /// with its own environment under the server's <c>env</c>, and its own holds the instance's key: every variable of
    /// <paramref name="cliEnvironment"/> a server does not set is set empty for it, so it gets only its own.
    /// </summary>
    public string Json(IEnumerable<string> cliEnvironment)
    {
        var cliNames = cliEnvironment.ToList();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("mcpServers");
            foreach (var server in Servers)
            {
                json.WriteStartObject(server.Name);
                json.WriteString("type", "stdio");
                json.WriteString("command", server.Command);
                json.WriteStartArray("args");
                foreach (var arg in server.Args) json.WriteStringValue(arg);
                json.WriteEndArray();
                json.WriteStartObject("env");
                foreach (var name in cliNames.Where(n => !server.Env.ContainsKey(n)).Order(StringComparer.Ordinal)) json.WriteString(name, "");
                foreach (var (name, value) in server.Env.OrderBy(e => e.Key, StringComparer.Ordinal)) json.WriteString(name, value ?? "");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public bool Equals(ClaudeCodeMcpConfig? other) => other is not null && string.Equals(_content, other._content, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ClaudeCodeMcpConfig);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_content);

    public override string ToString() => $"MCP servers {string.Join(", ", Servers.Select(s => s.Name))}";
}
