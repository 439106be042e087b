namespace Plue.Protocol;

/// <summary>
/// One text file a task's changes left in conflict, in the three versions a merge editor shows: the common ancestor
/// (<see cref="Base"/>, empty when both sides added the file), the folder's (<see cref="Current"/>) and the task's
/// (<see cref="Incoming"/>). The file itself holds the conflict markers, and is the merge's result.
/// </summary>
public sealed record TaskConflict
{
    /// <summary>Relative to the result's folder, as in <c>conflicts</c>.</summary>
    public required string Path { get; init; }
    public required string Base { get; init; }
    public required string Current { get; init; }
    public required string Incoming { get; init; }
}
