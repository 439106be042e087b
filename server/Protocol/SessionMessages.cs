using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>A chat session: an ai-chat codex plus what its messages add up to.</summary>
public sealed record Session
{
    public required string Id { get; init; }
    public required string Slug { get; init; }
    public required string Ref { get; init; }
    public required long Version { get; init; }
    public required string Title { get; init; }
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
}

/// <summary>Token counts. Input is every prompt token, cache reads and writes included (they are also counted apart); reasoning is inside output.</summary>
public sealed record TokenUsage
{
    public long Input { get; init; }
    public long Output { get; init; }
    public long CacheRead { get; init; }
    public long CacheWrite { get; init; }
    public long Reasoning { get; init; }
    /// <summary>
    /// True when some counts are estimated from the text sent and streamed (about 4 characters a token), not reported
    /// by the provider: a reply stopped or cut before the provider told its usage.
    /// Absent when false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Estimated { get; init; }

    public static TokenUsage Zero { get; } = new();

    public TokenUsage Add(TokenUsage other) => new()
    {
        Input = Input + other.Input,
        Output = Output + other.Output,
        CacheRead = CacheRead + other.CacheRead,
        CacheWrite = CacheWrite + other.CacheWrite,
        Reasoning = Reasoning + other.Reasoning,
        Estimated = Estimated || other.Estimated,
    };
}

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

/// <summary>idle, active (a turn is streaming) or archived.</summary>
public enum SessionStatus
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("archived")] Archived,
}

public enum MessageRole
{
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("assistant")] Assistant,
    /// <summary>Text the model reads as system content where it comes in the conversation (<c>session/addSystem</c>).</summary>
    [JsonStringEnumMemberName("system")] System,
}

public enum MessageStatus
{
    [JsonStringEnumMemberName("complete")] Complete,
    [JsonStringEnumMemberName("streaming")] Streaming,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>Its process died while it streamed; the text so far is kept.</summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>Hidden by a regenerate or an edit; only a fork's copy or the store sees it.</summary>
    [JsonStringEnumMemberName("superseded")] Superseded,
}

/// <summary>The kind of a <see cref="MessagePart"/>: its <c>kind</c> on the wire.</summary>
public enum PartKind
{
    [JsonStringEnumMemberName("text")] Text,
    [JsonStringEnumMemberName("reasoning")] Reasoning,
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("tool_use")] ToolUse,
    [JsonStringEnumMemberName("tool_result")] ToolResult,
    [JsonStringEnumMemberName("step")] Step,
    [JsonStringEnumMemberName("instructions")] Instructions,
    [JsonStringEnumMemberName("summary")] Summary,
}

public enum ToolState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>The user (or a rule on their behalf) refused to let it run.</summary>
    [JsonStringEnumMemberName("denied")] Denied,
}

/// <summary>A typed part of a message, <c>kind</c> on the wire saying which: each kind carries only its own members.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TextPart), "text")]
[JsonDerivedType(typeof(ReasoningPart), "reasoning")]
[JsonDerivedType(typeof(FilePart), "file")]
[JsonDerivedType(typeof(ToolUsePart), "tool_use")]
[JsonDerivedType(typeof(ToolResultPart), "tool_result")]
[JsonDerivedType(typeof(StepPart), "step")]
[JsonDerivedType(typeof(InstructionsPart), "instructions")]
[JsonDerivedType(typeof(SummaryPart), "summary")]
public abstract record MessagePart
{
    public required string Id { get; init; }

    /// <summary>Which kind this part is (the wire's <c>kind</c>, written by the serializer from the type).</summary>
    [JsonIgnore]
    public PartKind Kind => this switch
    {
        TextPart => PartKind.Text,
        ReasoningPart => PartKind.Reasoning,
        FilePart => PartKind.File,
        ToolUsePart => PartKind.ToolUse,
        ToolResultPart => PartKind.ToolResult,
        InstructionsPart => PartKind.Instructions,
        SummaryPart => PartKind.Summary,
        _ => PartKind.Step,
    };
}

public sealed record TextPart : MessagePart
{
    public string? Text { get; init; }
}

public sealed record ReasoningPart : MessagePart
{
    public string? Text { get; init; }
    /// <summary>The provider's opaque signature, kept for the round trip.</summary>
    public string? Signature { get; init; }
}

/// <summary>An attached file, selection or image (then <see cref="Content"/> is base64 bytes of <see cref="MimeType"/>).</summary>
public sealed record FilePart : MessagePart
{
    public string? Path { get; init; }
    public string? Content { get; init; }
    public string? Language { get; init; }
    public LineRange? Range { get; init; }
    public string? MimeType { get; init; }
}

public sealed record ToolUsePart : MessagePart
{
    public string? ToolCallId { get; init; }
    public string? Name { get; init; }
    public JsonNode? Input { get; init; }
    public ToolState? State { get; init; }
}

public sealed record ToolResultPart : MessagePart
{
    public string? ToolCallId { get; init; }
    public string? Name { get; init; }
    public string? Output { get; init; }
    public bool? IsError { get; init; }
}

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

/// <summary>
/// The conversation before it, compacted: what later requests send instead of those messages (which stay in the
/// store). The goal, the instructions, files touched and unresolved tool results are in it verbatim.
/// </summary>
public sealed record SummaryPart : MessagePart
{
    /// <summary>The summary as the model is sent it.</summary>
    public string? Text { get; init; }
    /// <summary>How many messages it stands for.</summary>
    public int? Messages { get; init; }
    /// <summary>What the user asked it to focus on (<c>/compact focus</c>); absent when compacted by itself.</summary>
    public string? Focus { get; init; }
}

public sealed record LineRange(int StartLine, int EndLine);

/// <summary>Something the user attached to a message.</summary>
public sealed record Attachment
{
    public required AttachmentKind Kind { get; init; }
    public required string Path { get; init; }
    public string? Content { get; init; }
    public string? Language { get; init; }
    public LineRange? Range { get; init; }
    public string? MimeType { get; init; }
    /// <summary>image: base64 bytes.</summary>
    public string? Data { get; init; }
}

public enum AttachmentKind
{
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("selection")] Selection,
    [JsonStringEnumMemberName("image")] Image,
}

public sealed record SessionCreateParams
{
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    public string? Title { get; init; }
    public string? SystemPromptRef { get; init; }
    public string? SystemPrompt { get; init; }
    /// <summary>True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers.</summary>
    public bool? AllowUnlisted { get; init; }
}

public sealed record SessionListParams
{
    public bool? Archived { get; init; }
}

/// <summary><c>session/messages</c>: one page, the latest <see cref="Limit"/> messages (before <see cref="BeforeSeq"/>, when given).</summary>
public sealed record SessionMessagesParams
{
    public required string Id { get; init; }
    /// <summary>At most this many messages, the latest ones before <see cref="BeforeSeq"/>: 200 when left out, at most 1000.</summary>
    public int? Limit { get; init; }
    /// <summary>Only messages whose seq is lower: the seq of the oldest message the client holds.</summary>
    public int? BeforeSeq { get; init; }
}

public sealed record SessionMessagesResult
{
    /// <summary>Oldest first.</summary>
    public required IReadOnlyList<SessionMessage> Messages { get; init; }
    /// <summary>Whether older messages than the first one returned exist.</summary>
    public required bool HasMore { get; init; }
}

public sealed record SessionSendParams
{
    public required string SessionId { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
}

/// <summary><c>session/addSystem</c>: a system-role message added to the chat.</summary>
public sealed record SessionAddSystemParams
{
    public required string SessionId { get; init; }
    public required string Text { get; init; }
}

public sealed record SessionIdParams
{
    public required string SessionId { get; init; }
}

public sealed record SessionEditParams
{
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
    public required string Text { get; init; }
}

public sealed record SessionCompactParams
{
    public required string SessionId { get; init; }
    /// <summary>What the summary should keep above all (the words after <c>/compact</c>).</summary>
    public string? Focus { get; init; }
}

public sealed record SessionForkParams
{
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
}

public sealed record SessionRenameParams
{
    public required string Id { get; init; }
    public required string Title { get; init; }
}

public sealed record SessionArchiveParams
{
    public required string Id { get; init; }
    public bool? Archived { get; init; }
}

public sealed record SessionSetModelParams
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    /// <summary>True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers.</summary>
    public bool? AllowUnlisted { get; init; }
}

public sealed record CancelledResult
{
    public required bool Cancelled { get; init; }
}

/// <summary><c>session/partDelta</c>: append <see cref="Delta"/> to that part (a new part id starts a new part).</summary>
public sealed record PartDeltaParams
{
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
    public required string PartId { get; init; }
    public required PartKind Kind { get; init; }
    public required string Delta { get; init; }
}

public sealed record MessageUpdatedParams
{
    public required SessionMessage Message { get; init; }
}

public sealed record SessionUpdatedParams
{
    public required Session Session { get; init; }
}
