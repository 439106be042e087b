using Plue.Catalog;
using Plue.Protocol;

namespace Plue.Tests.Catalog;

/// <summary>Small valid providers for the store and validation tests.</summary>
internal static class CatalogSamples
{
    public static CatalogProvider Provider(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Type = ProviderTypes.OpenAICompatible,
        DefaultEndpoint = "https://api.example.com/v1",
        ApiKeyEnv = "EXAMPLE_API_KEY",
        DefaultLargeModelId = "m1",
        Source = "test",
        Models =
        [
            Model("m1"),
            Model("m2"),
        ],
    };

    public static CatalogModel Model(string id, ModelPrices? prices = null) => new()
    {
        Id = id,
        Name = id.ToUpperInvariant(),
        ContextWindow = 128_000,
        MaxOutput = 8_192,
        Prices = prices ?? new ModelPrices { Input = 1, Output = 2, CacheRead = 0.1, CacheWrite = null },
        CanReason = false,
        ReasoningLevels = [],
        SupportsAttachments = false,
    };
}
