namespace Plue.Protocol;

/// <summary><c>mcp/authorize</c> params: a remote MCP server's sign-in page for the client to open in the browser.</summary>
public sealed record McpAuthorizeParams
{
    /// <summary>The server's slug.</summary>
    public required string Server { get; init; }
    /// <summary>The server's title, for the user.</summary>
    public required string Title { get; init; }
    /// <summary>The authorization server's sign-in address (it carries no secret: the PKCE verifier stays in the sidecar).</summary>
    public required string Url { get; init; }
    /// <summary>How long the sidecar waits for the browser to come back, in seconds; past it the sign-in fails.</summary>
    public int? WaitSeconds { get; init; }
}
