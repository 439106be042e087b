using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>Where a cost figure came from.</summary>
public enum CostSource
{
    /// <summary>The catalog's prices times the usage the provider reported.</summary>
    [JsonStringEnumMemberName("catalog")] Catalog,
    /// <summary>The provider's own figure (the claude CLI's <c>total_cost_usd</c>, OpenRouter's <c>usage.cost</c>).</summary>
    [JsonStringEnumMemberName("provider")] Provider,
    /// <summary>A model on the user's machine (Ollama, or an instance marked local): $0.</summary>
    [JsonStringEnumMemberName("local")] Local,
    /// <summary>The catalog's prices times usage estimated from what was sent and streamed (a stopped or cut reply).</summary>
    [JsonStringEnumMemberName("estimate")] Estimate,
    /// <summary>No price is known: the cost is null, and a total holding it is a lower bound.</summary>
    [JsonStringEnumMemberName("unknown")] Unknown,
}
