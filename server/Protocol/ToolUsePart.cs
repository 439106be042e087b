using System.Text.Json.Nodes;

namespace Plue.Protocol;

public sealed record ToolUsePart : MessagePart
{
    public string? ToolCallId { get; init; }
    public string? Name { get; init; }
    public JsonNode? Input { get; init; }
    public ToolState? State { get; init; }
}
