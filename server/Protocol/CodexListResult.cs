namespace Plue.Protocol;

public sealed record CodexListResult
{
    public required IReadOnlyList<CodexRecord> Items { get; init; }
    public string? NextCursor { get; init; }
}
