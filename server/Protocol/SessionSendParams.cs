namespace Plue.Protocol;

public sealed record SessionSendParams
{
    public required string SessionId { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
}
