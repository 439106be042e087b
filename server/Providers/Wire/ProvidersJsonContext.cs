using System.Text.Json.Serialization;

namespace Plue.Providers.Wire;

/// <summary>Source-generated (de)serialization of the providers' wire shapes: snake_case, as every provider speaks.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OpenAIChunk))]
[JsonSerializable(typeof(OpenAIModelList))]
[JsonSerializable(typeof(AnthropicEvent))]
[JsonSerializable(typeof(AnthropicModelList))]
[JsonSerializable(typeof(OllamaLine))]
[JsonSerializable(typeof(OllamaTags))]
[JsonSerializable(typeof(OllamaShow))]
[JsonSerializable(typeof(OllamaVersion))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ProvidersJsonContext : JsonSerializerContext;
