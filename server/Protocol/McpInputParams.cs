namespace Plue.Protocol;

/// <summary>
/// <c>mcp/input</c> params: a server of an MCP file needs a value its file asks for (<c>${input:id}</c>, VS Code's
/// <c>inputs</c>) that the vault does not hold yet. The client asks the user (a masked box when <see cref="Password"/>)
/// and stores the answer itself with <c>vault/store</c> at <see cref="Ref"/>: the value never comes back in a result.
/// </summary>
public sealed record McpInputParams
{
    /// <summary>The server's name in its file.</summary>
    public required string Title { get; init; }
    /// <summary>The file, as <c>.vscode/mcp.json</c>.</summary>
    public required string File { get; init; }
    /// <summary>The input's id.</summary>
    public required string Input { get; init; }
    /// <summary>What the file says of it.</summary>
    public string? Description { get; init; }
    public required bool Password { get; init; }
    /// <summary>The choices of a <c>pickString</c> input: the user picks one, and that is what is stored. Absent for text typed in a box.</summary>
    public IReadOnlyList<string>? Options { get; init; }
    /// <summary>The file's <c>default</c>: the text the box starts with, or the choice picked first.</summary>
    public string? Default { get; init; }
    /// <summary>Where to store it: <c>vault://mcp/&lt;slug&gt;.&lt;id&gt;</c>.</summary>
    public required string Ref { get; init; }
}
