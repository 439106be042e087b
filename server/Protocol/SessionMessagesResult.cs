namespace Plue.Protocol;

public sealed record SessionMessagesResult
{
    /// <summary>Oldest first.</summary>
    public required IReadOnlyList<SessionMessage> Messages { get; init; }
    /// <summary>Whether older messages than the first one returned exist.</summary>
    public required bool HasMore { get; init; }
}
