namespace Plue.Protocol;

/// <summary><c>catalog/delete</c> result: the shipped provider a deleted override gave way to, if any.</summary>
public sealed record DeleteCatalogResult
{
    public required string Id { get; init; }
    public CatalogProviderSummary? Restored { get; init; }
}
