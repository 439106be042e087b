namespace Plue.Protocol;

/// <summary><c>session/setMode</c>: puts the chat in <see cref="Mode"/> (a <see cref="ChatMode"/>'s id) from its next turn.</summary>
public sealed record SessionSetModeParams
{
    public required string Id { get; init; }
    public required string Mode { get; init; }
}
