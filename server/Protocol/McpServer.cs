namespace Plue.Protocol;

/// <summary>
/// A configured MCP server: an <c>mcp-server</c> record's fields, typed (templates/mcp-server.json5). Its slug names the tools, <c>mcp__&lt;slug&gt;__&lt;tool&gt;</c>, and the server's secrets, <c>vault://mcp/&lt;slug&gt;.&lt;NAME&gt;</c>: it has no dot.
/// </summary>
public sealed record McpServer : RecordHead
{
    /// <summary><c>stdio</c>: a program started here; <c>http</c>: a remote server at <see cref="Url"/>.</summary>
    public required string Transport { get; init; }
    /// <summary>A remote server's MCP endpoint; absent for a program started on stdio.</summary>
    public string? Url { get; init; }
    /// <summary>A remote server's extra headers as written, <c>Name: value</c>.</summary>
    public required IReadOnlyList<string> Headers { get; init; }
    public required string Command { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    /// <summary>The program's variables as written: a plain value or a <c>vault://</c> reference.</summary>
    public required IReadOnlyList<McpEnvVar> Env { get; init; }
    public required bool Trusted { get; init; }
    public required bool Enabled { get; init; }
}
