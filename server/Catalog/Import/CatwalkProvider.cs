namespace Plue.Catalog.Import;

/// <summary>A Catwalk provider file (github.com/charmbracelet/catwalk, internal/providers/configs), as far as the importer reads it.</summary>
public sealed record CatwalkProvider
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    /// <summary>Usually "$ENV_VAR"; empty or absent when the provider authenticates otherwise.</summary>
    public string? ApiKey { get; init; }
    /// <summary>A URL, a "$ENV_VAR" placeholder, or empty.</summary>
    public string? ApiEndpoint { get; init; }
    public string? DefaultLargeModelId { get; init; }
    public string? DefaultSmallModelId { get; init; }
    /// <summary>Crush's own attribution headers; deliberately not imported.</summary>
    public IReadOnlyDictionary<string, string>? DefaultHeaders { get; init; }
    public required IReadOnlyList<CatwalkModel> Models { get; init; }
}
