namespace Plue.Protocol;

public sealed record SessionImportParams
{
    /// <summary>The text of a sessions file (<c>plue sessions export --all</c>) or of one chat's JSON export.</summary>
    public required string Json { get; init; }
}
