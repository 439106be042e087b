using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>A chat session: an ai-chat codex plus what its messages add up to.</summary>
public sealed record Session : RecordHead
{
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    public string? SystemPromptRef { get; init; }
    /// <summary>The chat's mode (a <see cref="ChatMode"/>'s id); null for a chat made before modes, which has its own tools only.</summary>
    public string? Mode { get; init; }
    public required SessionStatus Status { get; init; }
    public required TokenUsage Usage { get; init; }
    /// <summary>
    /// What the chat has spent, replies that an edit or a regenerate replaced included (money spent stays spent); a fork's
    /// copied messages count in the chat they were first paid in, not the fork. A lower bound ("at least") when
    /// <see cref="CostSources"/> holds <c>unknown</c>; null when no reply's cost is known at all: never shown as 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? CostUsd { get; init; }
    /// <summary>Where the figures in <see cref="CostUsd"/> came from, each source once; empty before the first reply.</summary>
    public IReadOnlyList<CostSource> CostSources { get; init; } = [];
    public required int MessageCount { get; init; }
    public int? ContextWindow { get; init; }
    /// <summary>How much of the context window the conversation fills: the latest answer's prompt tokens.</summary>
    public long ContextTokens { get; init; }
    /// <summary>Whether the model takes images, as the catalog says; null when the catalog does not know the model.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool? SupportsAttachments { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Set when the chat's record or transcript cannot be read: why. Listed with its id, never dropped; it cannot be opened or sent to.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Unreadable { get; init; }
}
