using System.Text.Json;
using Plue.Protocol;

namespace Plue.Catalog.Import;

/// <summary>A catalog provider as a Catwalk provider file, for tools that read Catwalk's schema.</summary>
public static class CatwalkExporter
{
    /// <summary>
    /// The file text. Cache prices follow Catwalk's documented convention (in_cached the write price, out_cached
    /// the read); an unknown price is left out. Throws <see cref="InvalidDataException"/> for a type Catwalk has no name for.
    /// </summary>
    public static string Serialize(CatalogProvider provider)
    {
        var file = new CatwalkProvider
        {
            Id = provider.Id,
            Name = provider.Name,
            Type = TypeOf(provider),
            ApiKey = provider.ApiKeyEnv is { } env ? "$" + env : null,
            ApiEndpoint = provider.DefaultEndpoint,
            DefaultLargeModelId = provider.DefaultLargeModelId,
            DefaultSmallModelId = provider.DefaultSmallModelId,
            Models = [.. provider.Models.Select(m => new CatwalkModel
            {
                Id = m.Id,
                Name = m.Name,
                CostPer1mIn = m.Prices?.Input,
                CostPer1mOut = m.Prices?.Output,
                CostPer1mInCached = m.Prices?.CacheWrite,
                CostPer1mOutCached = m.Prices?.CacheRead,
                ContextWindow = m.ContextWindow,
                DefaultMaxTokens = m.MaxOutput,
                CanReason = m.CanReason,
                ReasoningLevels = m.ReasoningLevels is { Count: > 0 } levels ? levels : null,
                DefaultReasoningEffort = m.DefaultReasoningEffort,
                SupportsAttachments = m.SupportsAttachments,
            })],
        };
        return JsonSerializer.Serialize(file, CatwalkJsonContext.Default.CatwalkProvider) + "\n";
    }

    // Catwalk's "openai" is OpenAI itself here; every other server that speaks its API is "openai-compat".
    private static string TypeOf(CatalogProvider provider) => provider.Type switch
    {
        ProviderTypes.OpenAICompatible => "openai-compat",
        ProviderTypes.Anthropic or ProviderTypes.OpenAI or ProviderTypes.OpenRouter or ProviderTypes.Google or ProviderTypes.Azure
            or ProviderTypes.GoogleVertex or ProviderTypes.Bedrock => provider.Type,
        var other => throw new InvalidDataException($"Catwalk has no provider type for '{other}'; export it in Plue's format instead"),
    };
}
