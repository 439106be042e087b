namespace Plue.Protocol;

/// <summary>A message sent while its chat answered: it waits in the chat's queue until the turn ends, or is sent as a steer.</summary>
public sealed record QueuedMessage
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
