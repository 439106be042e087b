using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>The starting points <c>catalog/templates</c> offers for a custom provider.</summary>
public static class CatalogTemplates
{
    public static IReadOnlyList<CatalogTemplate> All { get; } =
    [
        new()
        {
            Id = "openai-compatible",
            Name = "OpenAI-compatible API",
            Description = "A hosted service that speaks OpenAI's /v1/chat/completions (most gateways and inference hosts).",
            Provider = Template("my-openai-compatible", "My OpenAI-compatible provider", ProviderTypes.OpenAICompatible,
                "https://api.example.com/v1", "MY_PROVIDER_API_KEY", prices: ModelPrices.Unknown),
        },
        new()
        {
            Id = "anthropic-compatible",
            Name = "Anthropic-compatible API",
            Description = "A service that speaks Anthropic's /v1/messages (for example MiniMax's or Kimi's Anthropic endpoints).",
            Provider = Template("my-anthropic-compatible", "My Anthropic-compatible provider", ProviderTypes.Anthropic,
                "https://api.example.com/anthropic", "MY_PROVIDER_API_KEY", prices: ModelPrices.Unknown),
        },
        new()
        {
            Id = "local-server",
            Name = "Local server",
            Description = "An OpenAI-compatible server on this machine: llama.cpp's llama-server (port 8080), vLLM (8000) or LM Studio (1234).",
            // Local inference costs nothing per token: these prices are known to be zero, not unknown.
            Provider = Template("local-server", "Local server", ProviderTypes.OpenAICompatible,
                "http://127.0.0.1:8080/v1", apiKeyEnv: null, prices: new ModelPrices { Input = 0, Output = 0, CacheRead = 0, CacheWrite = 0 }),
        },
    ];

    private static CatalogProvider Template(string id, string name, string type, string endpoint, string? apiKeyEnv, ModelPrices prices) => new()
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
