namespace Plue.Protocol;

public sealed record ReasoningPart : MessagePart
{
    public string? Text { get; init; }
    /// <summary>The provider's opaque signature, kept for the round trip.</summary>
    public string? Signature { get; init; }
}
