namespace Plue.Protocol;

/// <summary>One environment variable of an MCP server as its record holds it.</summary>
public sealed record McpEnvVar
{
    public required string Name { get; init; }
    /// <summary>A plain value, or a <c>vault://</c> reference resolved when the server starts.</summary>
    public required string Value { get; init; }
    /// <summary>For a <c>vault://</c> value: whether the vault holds it (false too when the vault cannot be opened).</summary>
    public bool? Stored { get; init; }
}
