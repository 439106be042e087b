using System.Text.Json;

namespace Plue.Providers.Wire;

// Anthropic Messages stream events, read-only DTOs (docs/PROVIDERS.md, section 1). One class covers every event type:
// the members a type does not use stay null.

internal sealed class AnthropicEvent
{
    public string? Type { get; set; }
    public AnthropicMessage? Message { get; set; }
    public int Index { get; set; }
    public AnthropicBlock? ContentBlock { get; set; }
    public AnthropicDelta? Delta { get; set; }
    public AnthropicUsage? Usage { get; set; }
    public JsonElement? Error { get; set; }
}

internal sealed class AnthropicMessage
{
    public string? Id { get; set; }
    public string? Model { get; set; }
    public AnthropicUsage? Usage { get; set; }
}

internal sealed class AnthropicBlock
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Text { get; set; }
    public string? Thinking { get; set; }
    public string? Signature { get; set; }
    public string? Data { get; set; }
    public JsonElement? Input { get; set; }
}

internal sealed class AnthropicDelta
{
    public string? Type { get; set; }
    public string? Text { get; set; }
    public string? Thinking { get; set; }
    public string? Signature { get; set; }
    public string? PartialJson { get; set; }
    public string? StopReason { get; set; }
}

internal sealed class AnthropicUsage
{
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? CacheCreationInputTokens { get; set; }
    public long? CacheReadInputTokens { get; set; }
}

internal sealed class AnthropicModelList
{
    public List<AnthropicModel>? Data { get; set; }
    public bool HasMore { get; set; }
    public string? LastId { get; set; }
}

internal sealed class AnthropicModel
{
    public string? Id { get; set; }
    public string? DisplayName { get; set; }
}
