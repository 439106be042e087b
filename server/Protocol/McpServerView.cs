namespace Plue.Protocol;

/// <summary>An <c>mcp-server</c> record, typed.</summary>
public sealed record McpServerView : RecordView
{
    public required McpServer Server { get; init; }
}
