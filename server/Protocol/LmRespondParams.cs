namespace Plue.Protocol;

/// <summary>
/// <c>lm/respond</c> (client → sidecar): a conversation for the model <c>modelId</c> of instance <c>instanceId</c>,
/// answered with Plue's vault, retries and costs. Parts stream as <c>lm/responsePart</c> with <c>requestId</c>.
/// </summary>
public sealed record LmRespondParams
{
    public required string RequestId { get; init; }
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    public required IReadOnlyList<LmMessage> Messages { get; init; }
    public IReadOnlyList<LmTool>? Tools { get; init; }
}
