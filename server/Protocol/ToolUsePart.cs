using System.Text.Json.Nodes;

namespace Plue.Protocol;

public sealed record ToolUsePart : MessagePart
{
    public string? ToolCallId { get; init; }
    public string? Name { get; init; }
    public JsonNode? Input { get; init; }
    public ToolState? State { get; init; }
    /// <summary>Whether the call was let through and the rule that decided it; absent on calls from before rules were kept.</summary>
    public ToolApproval? Approval { get; init; }
}
