using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;

namespace Plue.Providers;

/// <summary>
/// A chat's <c>reasoning_effort</c> (none, low, medium, high) in each wire format's own terms: OpenAI's
/// <c>reasoning_effort</c>, Anthropic's thinking budget, Ollama's <c>think</c>. Only for a model the catalog says
/// reasons (others refuse these fields, and the template promises they ignore the setting); Ollama's models are
/// rarely in the catalog, so there its own /api/show decides (see <see cref="OllamaChatClient"/>).
/// </summary>
public static class ReasoningSettings
{
    public const string None = "none";

    /// <summary>Anthropic's smallest thinking budget; a reply needs room beyond it.</summary>
    private const int MinThinkingBudget = 1024;

    public static void Apply(ChatOptions options, string providerType, string? effort, CatalogModel? model)
    {
        if (effort is null || (providerType == ProviderTypes.Ollama ? model?.CanReason == false : model?.CanReason != true)) return;
        options.AdditionalProperties ??= [];
        switch (providerType)
        {
            case ProviderTypes.Anthropic when effort != None:
                ApplyThinking(options, effort, model!);
                break;
            case ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.OpenRouter
                when effort != None || model!.ReasoningLevels?.Contains(None) == true:
                options.AdditionalProperties[ProviderOptionKeys.ReasoningEffort] = effort;
                break;
            case ProviderTypes.Ollama:
                options.AdditionalProperties[ProviderOptionKeys.Think] = effort != None;
                break;
        }
    }

    /// <summary>The budget by level, kept under the model's output limit with room for the reply (max_tokens must exceed it).</summary>
    private static void ApplyThinking(ChatOptions options, string effort, CatalogModel model)
    {
        var budget = effort switch { "low" => 2048, "high" => 24576, _ => 8192 };
        var reply = options.MaxOutputTokens ?? 4096;
        if (model.MaxOutput is { } limit)
        {
            budget = Math.Min(budget, limit - Math.Min(reply, limit / 2));
            if (budget < MinThinkingBudget) return;
        }
        options.AdditionalProperties![ProviderOptionKeys.ThinkingBudgetTokens] = budget;
        options.MaxOutputTokens = model.MaxOutput is { } max ? Math.Min(max, budget + reply) : budget + reply;
    }
}
