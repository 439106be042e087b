using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Acp;
using Plue.Protocol;

namespace Plue.Cli.Acp;

/// <summary>
/// Plue's typed parts as ACP's <c>session/update</c>s: text and reasoning as chunks, a tool use as a tool call with its
/// kind, title, locations and (for write and edit) its diff, a tool result as that call's update with its output.
/// </summary>
internal static class AcpUpdates
{
    public static AcpSessionUpdate Chunk(string update, string text) =>
        new() { SessionUpdate = update, Content = Block(AcpContentBlock.OfText(text)) };

    public static AcpSessionUpdate? Chunk(MessageRole role, MessagePart part) => part switch
    {
        // ACP has no system messages: what the model reads as instructions is not told as anyone's words.
        _ when role == MessageRole.System => null,
        TextPart { Text: { Length: > 0 } text } => Chunk(role == MessageRole.User ? "user_message_chunk" : "agent_message_chunk", text),
        ReasoningPart { Text: { Length: > 0 } thought } => Chunk("agent_thought_chunk", thought),
        FilePart { MimeType: { } mime, Content: { } data } file when mime.StartsWith("image/", StringComparison.Ordinal) =>
            new AcpSessionUpdate { SessionUpdate = "user_message_chunk", Content = Block(new AcpContentBlock { Type = "image", MimeType = mime, Data = data, Uri = FileUri(file.Path) }) },
        FilePart { Path: { } path } file => new AcpSessionUpdate
        {
            SessionUpdate = "user_message_chunk",
            Content = Block(new AcpContentBlock
            {
                Type = "resource",
                Resource = new AcpResourceContents { Uri = FileUri(path)!, Text = file.Content ?? "", MimeType = "text/plain" },
            }),
        },
        _ => null,
    };

    /// <summary>A tool call as it is first told: what it is, where, and what it would change.</summary>
    public static AcpSessionUpdate ToolCall(string toolCallId, string tool, JsonNode? input, string status, string folder) => new()
    {
        SessionUpdate = "tool_call",
        ToolCallId = toolCallId,
        Title = Title(tool, input),
        Kind = Kind(tool),
        Status = status,
        Locations = Locations(input, folder),
        RawInput = input?.DeepClone(),
        Content = Diff(tool, input, folder) is { } diff ? List([diff]) : null,
    };

    public static AcpToolCallRef Ref(string toolCallId, string tool, JsonNode? input, string folder) => new()
    {
        ToolCallId = toolCallId,
        Title = Title(tool, input),
        Kind = Kind(tool),
        Status = "pending",
        Locations = Locations(input, folder),
        RawInput = input?.DeepClone(),
        Content = Diff(tool, input, folder) is { } diff ? [diff] : null,
    };

    public static AcpSessionUpdate Status(string toolCallId, string status) =>
        new() { SessionUpdate = "tool_call_update", ToolCallId = toolCallId, Status = status };

    public static AcpSessionUpdate Result(ToolResultPart result) => new()
    {
        SessionUpdate = "tool_call_update",
        ToolCallId = result.ToolCallId ?? result.Id,
        Status = result.IsError == true ? "failed" : "completed",
        Content = List([new AcpToolCallContent { Type = "content", Content = AcpContentBlock.OfText(result.Output ?? "") }]),
    };

    /// <summary>ACP's status of a Plue tool state (a denied call failed: it did not run).</summary>
    public static string Status(ToolState? state) => state switch
    {
        ToolState.Running => "in_progress",
        ToolState.Completed => "completed",
        ToolState.Error or ToolState.Denied => "failed",
        _ => "pending",
    };

    public static string Kind(string tool) => tool switch
    {
        "read" => "read",
        "write" or "edit" => "edit",
        "search" => "search",
        "bash" => "execute",
        _ => "other",
    };

    /// <summary>What the user reads on the call: the command, the file, or the tool's name.</summary>
    private static string Title(string tool, JsonNode? input) =>
        Field(input, "command") is { } command ? command
        : Field(input, "path") is { } path ? $"{tool} {path}"
        : Field(input, "pattern") is { } pattern ? $"{tool} {pattern}"
        : tool;

    private static List<AcpToolCallLocation>? Locations(JsonNode? input, string folder) =>
        Field(input, "path") is { } path ? [new AcpToolCallLocation { Path = Absolute(path, folder) }] : null;

    private static AcpToolCallContent? Diff(string tool, JsonNode? input, string folder) =>
        (tool, Field(input, "path")) switch
        {
            ("write", { } path) => new AcpToolCallContent { Type = "diff", Path = Absolute(path, folder), NewText = Field(input, "content") ?? "" },
            ("edit", { } path) => new AcpToolCallContent { Type = "diff", Path = Absolute(path, folder), OldText = Field(input, "old_string"), NewText = Field(input, "new_string") ?? "" },
            _ => null,
        };

    private static string? Field(JsonNode? input, string name) =>
        input is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>ACP wants absolute paths; the tools take them relative to the first workspace folder.</summary>
    private static string Absolute(string path, string folder) => Path.GetFullPath(path, folder);

    private static string? FileUri(string? path) => path is null ? null : path.Contains("://", StringComparison.Ordinal) ? path : new Uri(Path.GetFullPath(path)).AbsoluteUri;

    private static JsonNode? Block(AcpContentBlock block) => JsonSerializer.SerializeToNode(block, AcpJson.Default.AcpContentBlock);

    private static JsonNode? List(IReadOnlyList<AcpToolCallContent> content) => JsonSerializer.SerializeToNode(content, AcpJson.Default.IReadOnlyListAcpToolCallContent);
}
