namespace Plue.Acp;

// ACP's file methods an agent asks of its client (schema/v1/schema.json of @agentclientprotocol/sdk 2.4.0:
// ReadTextFileRequest/Response, WriteTextFileRequest/Response).

internal sealed record AcpReadTextFileRequest
{
    public required string SessionId { get; init; }
    /// <summary>Absolute.</summary>
    public required string Path { get; init; }
    /// <summary>The first line to read, 1-based.</summary>
    public int? Line { get; init; }
    /// <summary>How many lines at most.</summary>
    public int? Limit { get; init; }
}

internal sealed record AcpReadTextFileResponse
{
    public required string Content { get; init; }
}

internal sealed record AcpWriteTextFileRequest
{
    public required string SessionId { get; init; }
    /// <summary>Absolute.</summary>
    public required string Path { get; init; }
    public required string Content { get; init; }
}
