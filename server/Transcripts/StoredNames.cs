using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>
/// The names the store keeps for roles, statuses and part kinds: the wire's names, so the SQL can name them
/// (<c>status = 'streaming'</c>) and existing databases read as they are.
/// </summary>
internal static class StoredNames
{
    public static string Of(MessageRole role) => role switch
    {
        MessageRole.User => "user",
        MessageRole.System => "system",
        _ => "assistant",
    };

    public static MessageRole Role(string name) => name switch
    {
        "user" => MessageRole.User,
        "system" => MessageRole.System,
        _ => MessageRole.Assistant,
    };

    public static string Of(MessageStatus status) => status switch
    {
        MessageStatus.Complete => "complete",
        MessageStatus.Streaming => "streaming",
        MessageStatus.Cancelled => "cancelled",
        MessageStatus.Interrupted => "interrupted",
        MessageStatus.Error => "error",
        _ => "superseded",
    };

    public static MessageStatus Status(string name) => name switch
    {
        "complete" => MessageStatus.Complete,
        "streaming" => MessageStatus.Streaming,
        "cancelled" => MessageStatus.Cancelled,
        "interrupted" => MessageStatus.Interrupted,
        "superseded" => MessageStatus.Superseded,
        _ => MessageStatus.Error,
    };

    public static string Of(PartKind kind) => kind switch
    {
        PartKind.Text => "text",
        PartKind.Reasoning => "reasoning",
        PartKind.File => "file",
        PartKind.ToolUse => "tool_use",
        PartKind.ToolResult => "tool_result",
        PartKind.Instructions => "instructions",
        PartKind.Summary => "summary",
        PartKind.Plan => "plan",
        PartKind.Hook => "hook",
        _ => "step",
    };

    /// <summary>A cost source's stored name: its wire name (catalog, provider, local, estimate, unknown).</summary>
    public static string Of(CostSource source) => source.ToString().ToLowerInvariant();

    /// <summary>
    /// The source stored for an answer; a row from before sources were kept has none, and its cost was then either the
    /// catalog's or unknown.
    /// </summary>
    public static CostSource? Source(string? name, bool costKnown, bool isAnswer) =>
        name is not null && Enum.TryParse<CostSource>(name, ignoreCase: true, out var source) ? source
        : !isAnswer ? null : costKnown ? CostSource.Catalog : CostSource.Unknown;

    /// <summary>A part of that kind with nothing but its id, for a row whose members were never stored.</summary>
    public static MessagePart EmptyPart(string kind, string id) => kind switch
    {
        "text" => new TextPart { Id = id },
        "reasoning" => new ReasoningPart { Id = id },
        "file" => new FilePart { Id = id },
        "tool_use" => new ToolUsePart { Id = id },
        "tool_result" => new ToolResultPart { Id = id },
        "instructions" => new InstructionsPart { Id = id },
        "summary" => new SummaryPart { Id = id },
        "plan" => new PlanPart { Id = id },
        "hook" => new HookPart { Id = id },
        _ => new StepPart { Id = id },
    };
}
