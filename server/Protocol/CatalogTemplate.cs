namespace Plue.Protocol;

/// <summary>One entry of <c>catalog/templates</c>: a starting point for <c>catalog/create</c>.</summary>
public sealed record CatalogTemplate
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>Valid as it stands; the client edits the id, name, endpoint and models before creating it.</summary>
    public required CatalogProvider Provider { get; init; }
}
