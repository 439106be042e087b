namespace Plue.Protocol;

/// <summary><c>session/addSystem</c>: a system-role message added to the chat.</summary>
public sealed record SessionAddSystemParams
{
    public required string SessionId { get; init; }
    public required string Text { get; init; }
}
