namespace Plue.Protocol;

/// <summary><c>catalog/models</c> params; the result is the provider's models in catalog shape.</summary>
public sealed record CatalogModelsParams
{
    public required string ProviderId { get; init; }
}
