namespace Plue.Protocol;

/// <summary><c>codex/resolve</c> result: <c>kind</c> "record" or "prompt", and that thing.</summary>
public sealed record ResolveResult
{
    public required string Kind { get; init; }
    public CodexRecord? Record { get; init; }
    public Prompt? Prompt { get; init; }
}
