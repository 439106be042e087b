namespace Plue.Protocol;

public sealed record ToolResultPart : MessagePart
{
    public string? ToolCallId { get; init; }
    public string? Name { get; init; }
    public string? Output { get; init; }
    public bool? IsError { get; init; }
}
