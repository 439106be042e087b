namespace Plue.Protocol;

/// <summary><c>lm/chat</c> result: the model's input and output tokens when its API counted them.</summary>
public sealed record LmChatResult
{
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
}
