namespace Plue.Protocol;

/// <summary>One message of a transcript, named by its chat or task and its own id.</summary>
public sealed record MessageRefParams
{
    /// <summary>The chat (or task) the message belongs to.</summary>
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
}
