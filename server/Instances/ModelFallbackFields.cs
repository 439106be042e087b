using System.Text.Json.Serialization;
using Plue.Protocol;

namespace Plue.Instances;

/// <summary>One entry of a <c>fallbacks</c> field (a provider's, a chat's or a task's), as the templates name it.</summary>
public sealed record ModelFallbackFields
{
    [JsonPropertyName("provider_ref")]
    public string? ProviderRef { get; init; }

    [JsonPropertyName("model_id")]
    public string? ModelId { get; init; }

    /// <summary>The complete entries, in order; null when there are none (then a provider's own fallbacks apply).</summary>
    public static IReadOnlyList<ModelFallback>? Chain(IReadOnlyList<ModelFallbackFields> entries) =>
        entries.Where(e => e.ProviderRef is not null && e.ModelId is not null)
            .Select(e => new ModelFallback { ProviderRef = e.ProviderRef!, ModelId = e.ModelId! }).ToList() is { Count: > 0 } chain ? chain : null;
}
