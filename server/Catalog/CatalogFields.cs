namespace Plue.Catalog;

/// <summary>
/// The fields of a <c>catalog</c> record as templates/catalog.json5 names them, bound by
/// <see cref="CatalogFieldsJsonContext"/>; the template has checked each value's type before a record keeps it.
/// </summary>
public sealed record CatalogFields
{
    public string? ProviderId { get; init; }
    public string? ProviderType { get; init; }
    public string? Endpoint { get; init; }
    public string? ApiKeyEnv { get; init; }
    public string? DefaultModel { get; init; }
    public string? SmallModel { get; init; }
    public IReadOnlyList<CatalogModelFields>? Models { get; init; }
}
