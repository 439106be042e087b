namespace Plue.Protocol;

/// <summary>One file a checkpoint's turn changed: its path in the workspace folder and how (added, modified, deleted).</summary>
public sealed record CheckpointFile
{
    public required string Path { get; init; }
    public required CheckpointChange Change { get; init; }
}
