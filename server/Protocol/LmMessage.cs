namespace Plue.Protocol;

/// <summary>One message of a language-model conversation: <c>role</c> user | assistant (system text goes in a user message first).</summary>
public sealed record LmMessage
{
    public required string Role { get; init; }
    public required IReadOnlyList<LmPart> Parts { get; init; }
}
