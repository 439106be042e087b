namespace Plue.Protocol;

/// <summary>An <c>ai-chat</c> record as <c>session/get</c> reads it.</summary>
public sealed record ChatView : RecordView
{
    public required Session Session { get; init; }
}
