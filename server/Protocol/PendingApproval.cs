using System.Text.Json.Nodes;

namespace Plue.Protocol;

public sealed record PendingApproval
{
    public required string Tool { get; init; }
    public JsonNode? Input { get; init; }
    public string? Reason { get; init; }
}
