using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Providers.Wire;

// Ollama native API, read-only DTOs (docs/PROVIDERS.md, section 3).

internal sealed class OllamaLine
{
    public string? Model { get; set; }
    public OllamaMessage? Message { get; set; }
    public bool Done { get; set; }
    public string? DoneReason { get; set; }
    public long? PromptEvalCount { get; set; }
    public long? EvalCount { get; set; }
    public JsonElement? Error { get; set; }
}

internal sealed class OllamaMessage
{
    public string? Content { get; set; }
    public string? Thinking { get; set; }
    public List<OllamaToolCall>? ToolCalls { get; set; }
}

internal sealed class OllamaToolCall
{
    public string? Id { get; set; }
    public OllamaFunction? Function { get; set; }
}

internal sealed class OllamaFunction
{
    public string? Name { get; set; }
    /// <summary>A JSON object, whole (not a string as in OpenAI).</summary>
    public JsonElement? Arguments { get; set; }
}

internal sealed class OllamaTags
{
    public List<OllamaTag>? Models { get; set; }
}

internal sealed class OllamaTag
{
    public string? Name { get; set; }
    public string? Model { get; set; }
}

internal sealed class OllamaShow
{
    [JsonPropertyName("model_info")]
    public Dictionary<string, JsonElement>? ModelInfo { get; set; }

    /// <summary>What the model can do: "completion", "tools", "thinking", "vision"...; absent on older servers.</summary>
    public List<string>? Capabilities { get; set; }
}

internal sealed class OllamaVersion
{
    public string? Version { get; set; }
}
