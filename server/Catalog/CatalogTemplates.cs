using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>The starting points <c>catalog/templates</c> offers for a custom provider.</summary>
public static class CatalogTemplates
{
    public static IReadOnlyList<CatalogTemplate> All { get; } =
    [
        Template("openai-compatible", "OpenAI-compatible API",
            "A hosted service that speaks OpenAI's /v1/chat/completions (most gateways and inference hosts).",
            Provider("my-openai-compatible", "My OpenAI-compatible provider", ProviderTypes.OpenAICompatible,
                "https://api.example.com/v1", "MY_PROVIDER_API_KEY", ModelPrices.Unknown)),
        Template("anthropic-compatible", "Anthropic-compatible API",
            "A service that speaks Anthropic's /v1/messages (for example MiniMax's or Kimi's Anthropic endpoints).",
            Provider("my-anthropic-compatible", "My Anthropic-compatible provider", ProviderTypes.Anthropic,
                "https://api.example.com/anthropic", "MY_PROVIDER_API_KEY", ModelPrices.Unknown)),
        Template("local-server", "Local server",
            "An OpenAI-compatible server on this machine: llama.cpp's llama-server (port 8080), vLLM (8000) or LM Studio (1234).",
            // Local inference costs nothing per token: these prices are known to be zero, not unknown.
            Provider("local-server", "Local server", ProviderTypes.OpenAICompatible,
                "http://127.0.0.1:8080/v1", apiKeyEnv: null, new ModelPrices { Input = 0, Output = 0, CacheRead = 0, CacheWrite = 0 })),
    ];

    private static CatalogTemplate Template(string id, string name, string description, CatalogProvider provider) =>
        new() { Id = id, Name = name, Description = description, Provider = provider };

    private static CatalogProvider Provider(string id, string name, string type, string endpoint, string? apiKeyEnv, ModelPrices prices) => new()
    {
        Id = id,
        Name = name,
        Type = type,
        DefaultEndpoint = endpoint,
        ApiKeyEnv = apiKeyEnv,
        DefaultLargeModelId = "model-id",
        Source = "user",
        Models =
        [
            new CatalogModel
            {
                Id = "model-id",
                Name = "Model name",
                ContextWindow = 128_000,
                MaxOutput = 8_192,
                Prices = prices,
                CanReason = false,
                ReasoningLevels = [],
                SupportsAttachments = false,
            },
        ],
    };
}
