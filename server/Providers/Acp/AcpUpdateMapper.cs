using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Acp;
using Plue.Providers.ClaudeCode;

namespace Plue.Providers.Acp;

/// <summary>
/// Folds an agent's <c>session/update</c>s of one turn into <see cref="ChatResponseUpdate"/>s, the chat's typed parts:
/// message chunks as text, thought chunks and plans as reasoning, each tool call as a tool use (informational: the
/// agent runs its tools itself) and its end (completed or failed) as the tool's result.
/// </summary>
internal sealed class AcpUpdateMapper(string conversationId, string? modelId, Func<string, bool> wasDenied, Func<string, Protocol.ToolApproval?>? approvalOf = null)
{
    private readonly Dictionary<string, AcpSessionUpdate> _calls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);

    public IEnumerable<ChatResponseUpdate> Map(AcpSessionUpdate update)
    {
        switch (update.SessionUpdate)
        {
            case "agent_message_chunk" when TextOf(update.Content) is { Length: > 0 } text:
                yield return Update(ChatRole.Assistant, new TextContent(text));
                break;
            case "agent_thought_chunk" when TextOf(update.Content) is { Length: > 0 } thought:
                yield return Update(ChatRole.Assistant, new TextReasoningContent(thought));
                break;
            case "plan" when update.Entries is { Count: > 0 } entries:
                yield return Update(ChatRole.Assistant, new TextReasoningContent(PlanText(entries)));
                break;
            case "tool_call" or "tool_call_update" when update.ToolCallId is { Length: > 0 } id:
                // A call is told once its input is known (an agent may announce it before the model has written it).
                var call = _calls[id] = Merge(_calls.GetValueOrDefault(id), update);
                var ended = update.Status is "completed" or "failed";
                if ((ended || call.RawInput is JsonObject { Count: > 0 }) && _told.Add(id)) yield return Update(ChatRole.Assistant, Call(id, call));
                if (ended && _ended.Add(id)) yield return Update(ChatRole.Tool, Result(id, update));
                break;
        }
    }

    /// <summary>The turn's last update: why the agent stopped.</summary>
    public ChatResponseUpdate Complete(string stopReason)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, []) { ConversationId = conversationId, ModelId = modelId };
        update.FinishReason = stopReason switch
        {
            "max_tokens" or "max_turn_requests" => ChatFinishReason.Length,
            "refusal" => ChatFinishReason.ContentFilter,
            _ => ChatFinishReason.Stop,
        };
        return update;
    }

    /// <summary>A call as its updates so far describe it: each member the latest one gave.</summary>
    private static AcpSessionUpdate Merge(AcpSessionUpdate? known, AcpSessionUpdate update) => known is null ? update : known with
    {
        Title = update.Title ?? known.Title,
        Kind = update.Kind ?? known.Kind,
        RawInput = update.RawInput is JsonObject { Count: > 0 } ? update.RawInput : known.RawInput,
    };

    private static FunctionCallContent Call(string id, AcpSessionUpdate update)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (update.RawInput is JsonObject input)
            foreach (var (name, value) in input) arguments[name] = AcpPermissions.Element(value);
        return new FunctionCallContent(id, update.Title ?? update.Kind ?? "tool", arguments) { InformationalOnly = true };
    }

    private FunctionResultContent Result(string id, AcpSessionUpdate update)
    {
        var result = new FunctionResultContent(id, ResultText(update));
        ClaudeCodeStreamMapper.NoteApproval(result, approvalOf?.Invoke(id));
        if (update.Status != "failed") return result;
        result.AdditionalProperties ??= [];
        result.AdditionalProperties[ClaudeCodeStreamMapper.ErrorKey] = true;
        if (wasDenied(id)) result.AdditionalProperties[ClaudeCodeStreamMapper.DeniedKey] = true;
        return result;
    }

    /// <summary>A tool call's content as text: its content blocks, a line for each diff, else its raw output.</summary>
    private static string ResultText(AcpSessionUpdate update)
    {
        var text = new StringBuilder();
        if (update.Content is JsonArray items)
            foreach (var item in items.OfType<JsonObject>())
            {
                var line = (string?)item["type"] switch
                {
                    "content" => TextOf(item["content"]),
                    "diff" => $"Edited {(string?)item["path"]}",
                    _ => null,
                };
                if (line is { Length: > 0 }) text.Append(text.Length > 0 ? "\n" : "").Append(line);
            }
        if (text.Length == 0 && update.RawOutput is { } raw) text.Append(raw is JsonValue v && v.TryGetValue<string>(out var s) ? s : raw.ToJsonString());
        return text.Length > 0 ? text.ToString() : update.Status == "failed" ? "The tool failed." : "Done.";
    }

    private static string PlanText(IReadOnlyList<AcpPlanEntry> entries) =>
        "Plan:\n" + string.Join("\n", entries.Select(e => $"{(e.Status switch { "completed" => "[x]", "in_progress" => "[~]", _ => "[ ]" })} {e.Content}"));

    /// <summary>A content block's text; other blocks (an image, a link) by what they are.</summary>
    private static string? TextOf(JsonNode? block) => block is JsonObject o
        ? (string?)o["type"] switch
        {
            "text" => (string?)o["text"],
            "resource_link" => $"[{(string?)o["name"] ?? (string?)o["uri"]}]",
            "image" => "[image]",
            _ => null,
        }
        : null;

    private ChatResponseUpdate Update(ChatRole role, AIContent content) => new(role, [content]) { ConversationId = conversationId, ModelId = modelId };
}
