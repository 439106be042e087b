using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Providers.Wire;

// Gemini (Generative Language API) stream chunks and model lists, read-only DTOs (docs/PROVIDERS.md, section 5).
// Google's JSON is camelCase, unlike the other formats, so it has a context of its own.

internal sealed class GeminiChunk
{
    public List<GeminiCandidate>? Candidates { get; set; }
    public GeminiUsage? UsageMetadata { get; set; }
    public GeminiPromptFeedback? PromptFeedback { get; set; }
    public string? ModelVersion { get; set; }
    public string? ResponseId { get; set; }
    public JsonElement? Error { get; set; }
}

internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }
    public string? FinishReason { get; set; }
}

internal sealed class GeminiContent
{
    public string? Role { get; set; }
    public List<GeminiPart>? Parts { get; set; }
}

internal sealed class GeminiPart
{
    public string? Text { get; set; }
    /// <summary>True on a thought summary (asked for with <c>includeThoughts</c>).</summary>
    public bool? Thought { get; set; }
    /// <summary>Opaque; Gemini 3 wants it sent back on the part it came with.</summary>
    public string? ThoughtSignature { get; set; }
    public GeminiFunctionCall? FunctionCall { get; set; }
}

internal sealed class GeminiFunctionCall
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public JsonElement? Args { get; set; }
}

internal sealed class GeminiUsage
{
    /// <summary>All input, cached content included.</summary>
    public long? PromptTokenCount { get; set; }
    public long? CandidatesTokenCount { get; set; }
    public long? CachedContentTokenCount { get; set; }
    /// <summary>Thinking, billed as output but not inside candidatesTokenCount.</summary>
    public long? ThoughtsTokenCount { get; set; }
}

internal sealed class GeminiPromptFeedback
{
    public string? BlockReason { get; set; }
}

internal sealed class GeminiModelList
{
    public List<GeminiModel>? Models { get; set; }
    public string? NextPageToken { get; set; }
}

internal sealed class GeminiModel
{
    /// <summary>"models/gemini-2.5-flash".</summary>
    public string? Name { get; set; }
    public string? DisplayName { get; set; }
    public int? InputTokenLimit { get; set; }
    public List<string>? SupportedGenerationMethods { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GeminiChunk))]
[JsonSerializable(typeof(GeminiModelList))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
