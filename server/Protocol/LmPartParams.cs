namespace Plue.Protocol;

/// <summary><c>lm/chatPart</c> and <c>lm/responsePart</c>: one streamed part of the answer to request <c>requestId</c>.</summary>
public sealed record LmPartParams
{
    public required string RequestId { get; init; }
    public required LmPart Part { get; init; }
}
