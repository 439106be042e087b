using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>What a model turn cost and how it ended.</summary>
public sealed record StepPart : MessagePart
{
    public TokenUsage? Usage { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? CostUsd { get; init; }
    /// <summary>Where <see cref="CostUsd"/> came from.</summary>
    public CostSource? CostSource { get; init; }
    public string? Model { get; init; }
    public long? LatencyMs { get; init; }
    public string? FinishReason { get; init; }
    /// <summary>Set when the server read clearly less of the prompt than was sent (it dropped the start); absent otherwise.</summary>
    public PromptTruncation? Truncation { get; init; }
}
