namespace Plue.Protocol;

/// <summary>
/// <c>lm/chat</c> (sidecar → client): asks the client's model <c>modelId</c> for an answer. The parts come back as
/// <c>lm/chatPart</c> notifications carrying <c>requestId</c>, then the request is answered.
/// </summary>
public sealed record LmChatParams
{
    public required string RequestId { get; init; }
    public required string ModelId { get; init; }
    public required IReadOnlyList<LmMessage> Messages { get; init; }
    public IReadOnlyList<LmTool>? Tools { get; init; }
    /// <summary>Why the model is asked, shown in VS Code's consent dialog.</summary>
    public string? Justification { get; init; }
}
