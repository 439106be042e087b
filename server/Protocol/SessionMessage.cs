using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>One message of a transcript: a role and ordered parts.</summary>
public sealed record SessionMessage
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required int Seq { get; init; }
    public required MessageRole Role { get; init; }
    public required MessageStatus Status { get; init; }
    public string? Error { get; init; }
    public required IReadOnlyList<MessagePart> Parts { get; init; }
    public TokenUsage? Usage { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? CostUsd { get; init; }
    /// <summary>Where <see cref="CostUsd"/> came from; null on a user's message and on an answer still streaming.</summary>
    public CostSource? CostSource { get; init; }
    /// <summary>The model that answered (an assistant's message): the chat's or task's own, or the fallback that took over.</summary>
    public string? ModelId { get; init; }
    /// <summary>The provider instance that answered, like <see cref="ModelId"/>.</summary>
    public string? InstanceId { get; init; }
    /// <summary>
    /// The instances and models tried first, in order, that failed before anything was shown (overload, rate limit past
    /// retries, unreachable), when a fallback answered; absent when the first one did.
    /// </summary>
    public IReadOnlyList<FallbackAttempt>? FallbackFrom { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
