using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>
/// USD per 1M tokens. Null means unknown, never free: cost over an unknown price is unknown.
/// Written explicitly on the wire and in catalog files, so a missing price is visible.
/// </summary>
public sealed record ModelPrices
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? Input { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? Output { get; init; }

    /// <summary>Input tokens served from the provider's prompt cache.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? CacheRead { get; init; }

    /// <summary>Input tokens written to the prompt cache (Anthropic bills 1.25x input for them).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? CacheWrite { get; init; }

    public static ModelPrices Unknown { get; } = new();
}
