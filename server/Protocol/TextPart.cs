namespace Plue.Protocol;

public sealed record TextPart : MessagePart
{
    public string? Text { get; init; }
    /// <summary>Set on a user's message typed as a command from a file (<c>/name args</c>); absent otherwise.</summary>
    public CommandUse? Command { get; init; }
}
