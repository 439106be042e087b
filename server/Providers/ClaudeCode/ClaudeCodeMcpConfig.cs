using System.Globalization;
using System.Text;
using System.Text.Json;
using Plue.Processes;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The MCP servers a CLI process starts, written to its <c>--mcp-config</c> file (never argv). The file names each
/// server variable's value as <c>${PLUE_MCP_s_v}</c>, which the CLI expands from its own environment: the values
/// (often secrets) live only in that one process's memory, never on disk, even when the sidecar is killed.
/// Compared by content, so a turn with the same servers keeps its process; printed by name only.
/// </summary>
public sealed class ClaudeCodeMcpConfig : IEquatable<ClaudeCodeMcpConfig>
{
    private const string VariablePrefix = "PLUE_MCP_";

    private readonly string _content;

    public ClaudeCodeMcpConfig(IReadOnlyList<ClaudeCodeMcpServer> servers)
    {
        Servers = servers;
        _content = Json([], references: false);
    }

    public IReadOnlyList<ClaudeCodeMcpServer> Servers { get; }

    /// <summary>
    /// Puts the servers' variable values into the CLI's <paramref name="cliEnvironment"/> and returns the file that
    /// refers to them: <c>{"mcpServers":{"&lt;name&gt;":{"type":"stdio","command","args","env"}}}</c>. The CLI starts a
    /// server with its own environment under the server's <c>env</c>, and its own holds the instance's key and the
    /// other servers' values: every variable of the CLI a server does not set is set empty for it, so it gets only its own.
    /// </summary>
    public string WriteInto(IDictionary<string, string?> cliEnvironment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < Servers.Count; s++)
        {
            var v = 0;
            foreach (var (_, value) in Ordered(Servers[s]))
                if (value is { Length: > 0 }) values[Variable(s, v++)] = value;
        }
        foreach (var (name, value) in values) cliEnvironment[name] = value;
        return Json(cliEnvironment.Keys.ToList(), references: true);
    }

    private static string Variable(int server, int value) =>
        string.Create(CultureInfo.InvariantCulture, $"{VariablePrefix}{server}_{value}");

    private static IEnumerable<KeyValuePair<string, string?>> Ordered(ClaudeCodeMcpServer server) =>
        server.Env.OrderBy(e => e.Key, StringComparer.Ordinal);

    /// <param name="references">Whether a server's variable is written as a reference to the CLI's, or as its value.</param>
    private string Json(IReadOnlyCollection<string> cliNames, bool references)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("mcpServers");
            for (var s = 0; s < Servers.Count; s++)
            {
                var server = Servers[s];
                json.WriteStartObject(server.Name);
                json.WriteString("type", "stdio");
                json.WriteString("command", server.Command);
                json.WriteStartArray("args");
                foreach (var arg in server.Args) json.WriteStringValue(arg);
                json.WriteEndArray();
                json.WriteStartObject("env");
                // The sidecar's mark stays: the server is found by it and killed with the sidecar.
                foreach (var name in cliNames.Where(n => !server.Env.ContainsKey(n) && n != ChildProcesses.MarkName).Order(StringComparer.Ordinal))
                    json.WriteString(name, "");
                var v = 0;
                foreach (var (name, value) in Ordered(server))
                    json.WriteString(name, references && value is { Length: > 0 } ? "${" + Variable(s, v++) + "}" : value ?? "");
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
