using System.Text.Json.Nodes;

namespace Plue.Acp;

// ACP's agent → client messages (schema/v1/schema.json of @agentclientprotocol/sdk 2.4.0: SessionNotification,
// SessionUpdate, ContentChunk, ToolCall, ToolCallUpdate, ToolCallContent, Diff, ToolCallLocation,
// RequestPermissionRequest/Response, PermissionOption, RequestPermissionOutcome).

internal sealed record AcpSessionNotification
{
    public required string SessionId { get; init; }
    public required AcpSessionUpdate Update { get; init; }
}

/// <summary>
/// One update, flat: <c>sessionUpdate</c> says which (agent_message_chunk, agent_thought_chunk, user_message_chunk:
/// <see cref="Content"/>; tool_call, tool_call_update: the tool members; plan: <see cref="Entries"/>; current_mode_update: <see cref="CurrentModeId"/>).
/// </summary>
internal sealed record AcpSessionUpdate
{
    public required string SessionUpdate { get; init; }
    /// <summary>A chunk's content block, or a tool call's list of <see cref="AcpToolCallContent"/> (<c>plue acp</c> builds both, an <c>acp-agent</c> instance reads them).</summary>
    public JsonNode? Content { get; init; }
    public string? ToolCallId { get; init; }
    public string? Title { get; init; }
    /// <summary>read, edit, delete, move, search, execute, think, fetch, switch_mode or other.</summary>
    public string? Kind { get; init; }
    /// <summary>pending, in_progress, completed or failed.</summary>
    public string? Status { get; init; }
    public IReadOnlyList<AcpToolCallLocation>? Locations { get; init; }
    public JsonNode? RawInput { get; init; }
    public JsonNode? RawOutput { get; init; }
    public string? CurrentModeId { get; init; }
    /// <summary>A plan's entries: content, priority, status (pending, in_progress, completed).</summary>
    public IReadOnlyList<AcpPlanEntry>? Entries { get; init; }
    /// <summary>available_commands_update: the commands a prompt may start with (<c>/name args</c>).</summary>
    public IReadOnlyList<AcpAvailableCommand>? AvailableCommands { get; init; }
}

/// <summary>ACP's AvailableCommand: a command's name (without its <c>/</c>), what it does, and a hint for its input.</summary>
internal sealed record AcpAvailableCommand
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public AcpAvailableCommandInput? Input { get; init; }
}

internal sealed record AcpAvailableCommandInput
{
    public required string Hint { get; init; }
}

internal sealed record AcpPlanEntry
{
    public required string Content { get; init; }
    public string? Priority { get; init; }
    public string? Status { get; init; }
}

/// <summary>A tool call's content: <c>content</c> (a block) or <c>diff</c> (path, oldText, newText).</summary>
internal sealed record AcpToolCallContent
{
    public required string Type { get; init; }
    public AcpContentBlock? Content { get; init; }
    public string? Path { get; init; }
    public string? OldText { get; init; }
    public string? NewText { get; init; }
}

internal sealed record AcpToolCallLocation
{
    public required string Path { get; init; }
    public int? Line { get; init; }
}

internal sealed record AcpRequestPermissionRequest
{
    public required string SessionId { get; init; }
    /// <summary>A tool_call_update's members (its <c>sessionUpdate</c> left out).</summary>
    public required AcpToolCallRef ToolCall { get; init; }
    public required IReadOnlyList<AcpPermissionOption> Options { get; init; }
}

internal sealed record AcpToolCallRef
{
    public required string ToolCallId { get; init; }
    public string? Title { get; init; }
    public string? Kind { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<AcpToolCallLocation>? Locations { get; init; }
    public JsonNode? RawInput { get; init; }
    public IReadOnlyList<AcpToolCallContent>? Content { get; init; }
}

internal sealed record AcpPermissionOption
{
    public required string OptionId { get; init; }
    public required string Name { get; init; }
    /// <summary>allow_once, allow_always, reject_once or reject_always.</summary>
    public required string Kind { get; init; }
}

internal sealed record AcpRequestPermissionResponse
{
    public required AcpPermissionOutcome Outcome { get; init; }
}

/// <summary><c>{outcome: "cancelled"}</c> or <c>{outcome: "selected", optionId}</c>.</summary>
internal sealed record AcpPermissionOutcome
{
    public required string Outcome { get; init; }
    public string? OptionId { get; init; }
}
