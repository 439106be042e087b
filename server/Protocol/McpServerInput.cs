namespace Plue.Protocol;

/// <summary>A value a file's MCP server asks for once (<c>${input:id}</c>, VS Code's <c>inputs</c>), kept in the vault at <see cref="Ref"/>.</summary>
public sealed record McpServerInput
{
    public required string Id { get; init; }
    public string? Description { get; init; }
    /// <summary>Asked in a masked box (VS Code's <c>password: true</c>, and any input the file does not declare).</summary>
    public required bool Password { get; init; }
    /// <summary><c>vault://mcp/&lt;slug&gt;.&lt;id&gt;</c>.</summary>
    public required string Ref { get; init; }
    /// <summary>Whether the vault holds it.</summary>
    public required bool Stored { get; init; }
}
