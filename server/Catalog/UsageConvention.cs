namespace Plue.Catalog;

/// <summary>How a provider's usage numbers relate to each other, which decides how they are billed.</summary>
public enum UsageConvention
{
    /// <summary>input_tokens exclude cache_creation_input_tokens and cache_read_input_tokens; thinking is inside output_tokens.</summary>
    Anthropic,

    /// <summary>prompt_tokens include cached_tokens; reasoning_tokens are inside completion_tokens.</summary>
    OpenAI,

    /// <summary>OpenAI-style numbers (prompt_tokens include cached and cache-write tokens).</summary>
    OpenRouter,
}
