using System.Text.Json.Serialization;

namespace Plue.Catalog.Import;

/// <summary>A model of a Catwalk provider file. The two "cached" prices mean different things per file: see <see cref="CachePriceLayout"/>.</summary>
public sealed record CatwalkModel
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    [JsonPropertyName("cost_per_1m_in")]
    public double? CostPer1mIn { get; init; }
    [JsonPropertyName("cost_per_1m_out")]
    public double? CostPer1mOut { get; init; }
    [JsonPropertyName("cost_per_1m_in_cached")]
    public double? CostPer1mInCached { get; init; }
    [JsonPropertyName("cost_per_1m_out_cached")]
    public double? CostPer1mOutCached { get; init; }
    public int? ContextWindow { get; init; }
    public int? DefaultMaxTokens { get; init; }
    public bool? CanReason { get; init; }
    public IReadOnlyList<string>? ReasoningLevels { get; init; }
    public string? DefaultReasoningEffort { get; init; }
    public bool? SupportsAttachments { get; init; }
}
