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
    /// <summary>
    /// For a server an MCP file declares (<c>.vscode/mcp.json</c>, <c>.mcp.json</c>, <c>.cursor/mcp.json</c>): the
    /// file, as <c>.vscode/mcp.json</c> or <c>~/.cursor/mcp.json</c>. Such a server is read-only (change its file); its
    /// <see cref="RecordHead.Id"/> is no record's, its <see cref="Env"/> holds names only (and each input's vault reference).
    /// Absent for an <c>mcp-server</c> record.
    /// </summary>
    public string? File { get; init; }
    /// <summary>Why a file's server is not used (an untrusted workspace, a duplicate name...): it is never started.</summary>
    public string? Ignored { get; init; }
    /// <summary>The inputs (<c>${input:id}</c>) a file's server uses: each asked once and kept in the vault.</summary>
    public IReadOnlyList<McpServerInput>? Inputs { get; init; }
}
