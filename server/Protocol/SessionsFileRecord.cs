namespace Plue.Protocol;

/// <summary>One chat or task of a sessions file: its record (fields, tags, mode, status), instance, transcript.</summary>
public sealed record SessionsFileRecord
{
    /// <summary><c>chat</c> or <c>task</c>.</summary>
    public required string Kind { get; init; }
    public required CodexRecord Record { get; init; }
    /// <summary>The provider instance its fields name, by reference and name, so another machine can find its own.</summary>
    public SessionsFileInstance? Instance { get; init; }
    public required IReadOnlyList<SessionMessage> Messages { get; init; }
    /// <summary>Messages a fork copied: their id → the message first paid for.</summary>
    public IReadOnlyDictionary<string, string>? CopiedFrom { get; init; }
}
