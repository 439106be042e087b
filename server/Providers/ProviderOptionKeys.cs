namespace Plue.Providers;

/// <summary>Keys of <c>ChatOptions.AdditionalProperties</c> the HTTP backends read, for what ChatOptions has no member.</summary>
public static class ProviderOptionKeys
{
    /// <summary>Anthropic: extended thinking budget in tokens (int); enables thinking.</summary>
    public const string ThinkingBudgetTokens = "thinking_budget_tokens";

    /// <summary>Anthropic: beta flags for <c>anthropic-beta</c> (string, comma separated).</summary>
    public const string AnthropicBeta = "anthropic_beta";

    /// <summary>OpenAI-compatible: <c>reasoning_effort</c> (low, medium, high, ...).</summary>
    public const string ReasoningEffort = "reasoning_effort";

    /// <summary>Ollama: <c>think</c> (bool).</summary>
    public const string Think = "think";

    /// <summary>Ollama: the context window to ask for (int), overriding the one read from /api/show.</summary>
    public const string NumCtx = "num_ctx";

    /// <summary>On a TextReasoningContent: true when ProtectedData holds Anthropic redacted_thinking data, not a signature.</summary>
    public const string RedactedThinking = "redacted_thinking";
}
