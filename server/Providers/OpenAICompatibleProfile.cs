using Plue.Catalog;

namespace Plue.Providers;

/// <summary>
/// What sets one OpenAI-compatible provider apart from another: configuration on the one OpenAI client,
/// never a subclass. Add a provider by adding a profile (a few lines) to <see cref="For"/>.
/// </summary>
public sealed record OpenAICompatibleProfile
{
    public required string Name { get; init; }

    /// <summary>OpenAI itself deprecated max_tokens for max_completion_tokens; most compatible servers know only max_tokens.</summary>
    public bool UsesMaxCompletionTokens { get; init; }

    /// <summary>Sent with every request (OpenRouter's app attribution).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    public UsageConvention Convention { get; init; } = UsageConvention.OpenAI;

    /// <summary>The chat URL for a model, when it is not <c>{endpoint}/chat/completions</c>.</summary>
    public Func<ProviderConnection, string, string, string>? ChatUrl { get; init; }

    /// <summary>The header an API key goes in instead of <c>Authorization: Bearer</c> (an auth token is always a bearer).</summary>
    public string? KeyHeader { get; init; }

    public static OpenAICompatibleProfile OpenAI { get; } = new() { Name = "openai", UsesMaxCompletionTokens = true };

    public static OpenAICompatibleProfile OpenRouter { get; } = new()
    {
        Name = "openrouter",
        Convention = UsageConvention.OpenRouter,
        ExtraHeaders = [new("HTTP-Referer", "https://github.com/plue-vscode"), new("X-Title", "plue")],
    };

    public static OpenAICompatibleProfile Generic { get; } = new() { Name = "openai-compatible" };

    public static OpenAICompatibleProfile Azure { get; } = new()
    {
        Name = "azure", UsesMaxCompletionTokens = true, ChatUrl = AzureOpenAI.ChatUrl, KeyHeader = "api-key",
    };

    /// <summary>The profile of a catalog provider type (every openai-compatible catalog entry shares the generic one).</summary>
    public static OpenAICompatibleProfile For(string providerType) => providerType switch
    {
        ProviderTypes.OpenAI => OpenAI,
        ProviderTypes.OpenRouter => OpenRouter,
        ProviderTypes.Azure => Azure,
        _ => Generic,
    };
}
