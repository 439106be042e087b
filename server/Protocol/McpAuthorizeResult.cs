namespace Plue.Protocol;

/// <summary><c>mcp/authorize</c> result: whether the browser was opened (false: the user declined).</summary>
public sealed record McpAuthorizeResult
{
    public required bool Opened { get; init; }
}
