namespace Plue.Protocol;

/// <summary><c>codex/slug</c> result: the slug a record of that title would get now, and its reference.</summary>
public sealed record CodexSlugResult
{
    /// <summary>Made by the template's kind's rule (an MCP server's has no dot) and free now; a create may still find it taken meanwhile.</summary>
    public required string Slug { get; init; }
    /// <summary><c>codex://&lt;collection&gt;/&lt;slug&gt;</c>.</summary>
    public required string Ref { get; init; }
}
