using System.Text.Json;

namespace Plue.Providers.Wire;

// OpenAI Chat Completions stream chunks, read-only DTOs (docs/PROVIDERS.md, section 2). Internal wire shapes of one
// format live together; they never leave the Providers folder (AIContent is what the rest of the sidecar sees).

internal sealed class OpenAIChunk
{
    public string? Id { get; set; }
    public string? Model { get; set; }
    public List<OpenAIChoice>? Choices { get; set; }
    public OpenAIUsage? Usage { get; set; }
    public JsonElement? Error { get; set; }
}

internal sealed class OpenAIChoice
{
    public int Index { get; set; }
    public OpenAIDelta? Delta { get; set; }
    public string? FinishReason { get; set; }
}

internal sealed class OpenAIDelta
{
    public string? Role { get; set; }
    public string? Content { get; set; }
    public string? Reasoning { get; set; }
    public string? ReasoningContent { get; set; }
    public List<OpenAIToolCallDelta>? ToolCalls { get; set; }
}

internal sealed class OpenAIToolCallDelta
{
    public int? Index { get; set; }
    public string? Id { get; set; }
    public OpenAIFunctionDelta? Function { get; set; }
}

internal sealed class OpenAIFunctionDelta
{
    public string? Name { get; set; }
    /// <summary>A string fragment normally; some servers send a whole JSON object.</summary>
    public JsonElement? Arguments { get; set; }
}

internal sealed class OpenAIUsage
{
    /// <summary>OpenRouter: what the call cost, in its credits (1 credit = 1 USD).</summary>
    public decimal? Cost { get; set; }

    public long? PromptTokens { get; set; }
    public long? CompletionTokens { get; set; }
    public OpenAIPromptDetails? PromptTokensDetails { get; set; }
    public OpenAICompletionDetails? CompletionTokensDetails { get; set; }
}

internal sealed class OpenAIPromptDetails
{
    public long? CachedTokens { get; set; }
    /// <summary>OpenRouter reports cache writes here (inside prompt_tokens).</summary>
    public long? CacheWriteTokens { get; set; }
}

internal sealed class OpenAICompletionDetails
{
    public long? ReasoningTokens { get; set; }
}

internal sealed class OpenAIModelList
{
    public List<OpenAIModel>? Data { get; set; }
}

internal sealed class OpenAIModel
{
    public string? Id { get; set; }
    /// <summary>OpenRouter and some others list the window; OpenAI itself does not.</summary>
    public int? ContextLength { get; set; }
    public string? Name { get; set; }
}
