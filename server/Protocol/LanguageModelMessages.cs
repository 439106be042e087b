using System.Text.Json;

namespace Plue.Protocol;

/// <summary>A model VS Code's Language Model API offers (<c>lm/models</c>): the id <c>lm/chat</c> names it by.</summary>
public sealed record LmModel
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Who serves it, e.g. <c>copilot</c>.</summary>
    public required string Vendor { get; init; }
    public string? Family { get; init; }
    public int? MaxInputTokens { get; init; }
}

/// <summary><c>lm/models</c> params: only the models of this vendor (absent: every vendor's).</summary>
public sealed record LmModelsParams
{
    public string? Vendor { get; init; }
}

/// <summary><c>lm/models</c> result.</summary>
public sealed record LmModelsResult
{
    public required IReadOnlyList<LmModel> Models { get; init; }
}

/// <summary>
/// One part of a language-model message: <c>text</c>, a <c>toolCall</c> (<c>callId, name, input</c>) the model made,
/// or a <c>toolResult</c> (<c>callId, text</c>) answering one.
/// </summary>
public sealed record LmPart
{
    public string? Text { get; init; }
    public LmToolCall? ToolCall { get; init; }
    public LmToolResult? ToolResult { get; init; }
}

/// <summary>A tool call the model made: <c>input</c> is the JSON object of its arguments.</summary>
public sealed record LmToolCall
{
    public required string CallId { get; init; }
    public required string Name { get; init; }
    public required JsonElement Input { get; init; }
}

/// <summary>The answer to a tool call, as text.</summary>
public sealed record LmToolResult
{
    public required string CallId { get; init; }
    public required string Text { get; init; }
}

/// <summary>One message of a language-model conversation: <c>role</c> user | assistant (system text goes in a user message first).</summary>
public sealed record LmMessage
{
    public required string Role { get; init; }
    public required IReadOnlyList<LmPart> Parts { get; init; }
}

/// <summary>A tool the model may call: its name, description and JSON schema of its input.</summary>
public sealed record LmTool
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public JsonElement? InputSchema { get; init; }
}

/// <summary>
/// <c>lm/chat</c> (sidecar → client): asks the client's model <c>modelId</c> for an answer. The parts come back as
/// <c>lm/chatPart</c> notifications carrying <c>requestId</c>, then the request is answered.
/// </summary>
public sealed record LmChatParams
{
    public required string RequestId { get; init; }
    public required string ModelId { get; init; }
    public required IReadOnlyList<LmMessage> Messages { get; init; }
    public IReadOnlyList<LmTool>? Tools { get; init; }
    /// <summary>Why the model is asked, shown in VS Code's consent dialog.</summary>
    public string? Justification { get; init; }
}

/// <summary><c>lm/chat</c> result: the model's input and output tokens when its API counted them.</summary>
public sealed record LmChatResult
{
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
}

/// <summary><c>lm/chatPart</c> and <c>lm/responsePart</c>: one streamed part of the answer to request <c>requestId</c>.</summary>
public sealed record LmPartParams
{
    public required string RequestId { get; init; }
    public required LmPart Part { get; init; }
}

/// <summary>A model of a Plue instance, as other extensions see it through VS Code's model picker (<c>lm/instanceModels</c>).</summary>
public sealed record LmInstanceModel
{
    public required string InstanceId { get; init; }
    public required string InstanceName { get; init; }
    public required string ModelId { get; init; }
    public required string ModelName { get; init; }
    public int? ContextWindow { get; init; }
    public int? MaxOutput { get; init; }
    public bool SupportsImages { get; init; }
}

/// <summary><c>lm/instanceModels</c> result.</summary>
public sealed record LmInstanceModelsResult
{
    public required IReadOnlyList<LmInstanceModel> Models { get; init; }
}

/// <summary>
/// <c>lm/respond</c> (client → sidecar): a conversation for the model <c>modelId</c> of instance <c>instanceId</c>,
/// answered with Plue's vault, retries and costs. Parts stream as <c>lm/responsePart</c> with <c>requestId</c>.
/// </summary>
public sealed record LmRespondParams
{
    public required string RequestId { get; init; }
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    public required IReadOnlyList<LmMessage> Messages { get; init; }
    public IReadOnlyList<LmTool>? Tools { get; init; }
}

/// <summary><c>lm/respond</c> result: the tokens used and what they cost (null when a price is unknown).</summary>
public sealed record LmRespondResult
{
    public required TokenUsage Usage { get; init; }
    public decimal? CostUsd { get; init; }
}
