namespace Plue.Agents.Mcp;

/// <summary>One configured MCP server: an <c>mcp-server</c> codex record, read when the server starts.</summary>
public sealed record McpServerConfig
{
    public const string TemplateId = "mcp-server";

    /// <summary>The record's slug: the <c>&lt;server&gt;</c> of <c>mcp__&lt;server&gt;__&lt;tool&gt;</c>.</summary>
    public required string Slug { get; init; }
    public required string Title { get; init; }
    /// <summary>The record's version: a changed record restarts a running server on its next use.</summary>
    public required long Version { get; init; }
    /// <summary>How the server is reached: <see cref="Stdio"/> (a program started here) or <see cref="Http"/> (a URL).</summary>
    public string Transport { get; init; } = Stdio;
    public const string Stdio = "stdio";
    public const string Http = "http";
    public bool IsRemote => Transport == Http;
    /// <summary>A remote server's MCP endpoint (empty for stdio).</summary>
    public string Url { get; init; } = "";
    /// <summary>A remote server's extra headers, name → value as written (a value may hold a <c>vault://</c> reference).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    /// <summary>A remote server's OAuth client metadata document (an HTTPS URL, the client's id where the server accepts it); empty: dynamic registration.</summary>
    public string ClientMetadataUrl { get; init; } = "";
    public required string Command { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    /// <summary>NAME → value or <c>vault://</c> reference, as written in the record.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Env { get; init; }
    public required bool Trusted { get; init; }
    public required bool Enabled { get; init; }
    /// <summary>For a server an MCP file declares: the file, as <c>.vscode/mcp.json</c>; null for a record.</summary>
    public string? File { get; init; }
    /// <summary>The inputs (<c>${input:id}</c>) a file's server uses: each asked once, before it starts, when the vault lacks it.</summary>
    public IReadOnlyList<Customizations.McpFileInput> Inputs { get; init; } = [];
    /// <summary>
    /// For a file's stdio server: the folder its file is under (the workspace folder, or the home for the user's), inside
    /// which its <see cref="Cwd"/> and <see cref="EnvFile"/> must lie; null for a record.
    /// </summary>
    public string? FileRoot { get; init; }
    /// <summary>
    /// For a file's server: it appeared or changed in its file since the session began (the agent may have written it),
    /// so it starts only once the user has seen its file and allowed it (<see cref="McpFileInputs"/>).
    /// </summary>
    public bool Unseen { get; init; }
    /// <summary>A file's server's <c>cwd</c> (absolute): where it runs instead of the first workspace folder.</summary>
    public string? Cwd { get; init; }
    /// <summary>A file's server's <c>envFile</c> (absolute): NAME=value lines read when it starts, its <c>env</c> winning.</summary>
    public string? EnvFile { get; init; }
}
