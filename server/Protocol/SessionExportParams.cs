namespace Plue.Protocol;

public sealed record SessionExportParams
{
    public required string Id { get; init; }
    /// <summary><c>markdown</c> (the default) or <c>json</c>.</summary>
    public string? Format { get; init; }
}
