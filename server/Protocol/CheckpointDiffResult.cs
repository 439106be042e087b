namespace Plue.Protocol;

public sealed record CheckpointDiffResult
{
    /// <summary>The turn's changes as a unified diff (binary files named only), capped.</summary>
    public required string Patch { get; init; }
    /// <summary>With a path: its text before the turn (null when it did not exist, or is binary).</summary>
    public string? Before { get; init; }
    /// <summary>With a path: its text after the turn (null when the turn deleted it, or it is binary).</summary>
    public string? After { get; init; }
    /// <summary>With a path: true when the file is binary or too large to show as text.</summary>
    public bool Binary { get; init; }
}
