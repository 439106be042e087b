using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// Folds the CLI's stream-json lines of one turn into <see cref="ChatResponseUpdate"/>s: deltas from <c>stream_event</c>
/// lines (text, thinking, signature), tool uses from the completed <c>assistant</c> lines (informational: the CLI runs
/// its tools itself), tool results from <c>user</c> lines, and usage, finish reason and cost from the <c>result</c> line.
/// Lines of sub-agents (a non-null parent_tool_use_id) add no text to the answer.
/// </summary>
internal sealed class ClaudeCodeStreamMapper(string conversationId, Func<string, bool>? wasDenied = null, Func<string, Protocol.ToolApproval?>? approvalOf = null)
{
    public const string CostKey = ProviderUsage.CostKey;
    public const string TotalCostKey = "plue.totalCostUsd";
    public const string CliSessionKey = "plue.cliSessionId";
    /// <summary>On a tool result: the tool failed (the CLI's <c>is_error</c>).</summary>
    public const string ErrorKey = "isError";
    /// <summary>On a tool result: the tool never ran, its approval was refused.</summary>
    public const string DeniedKey = "plue.denied";
    /// <summary>On a tool result: the rule that let the call run or stopped it (a <see cref="Protocol.ToolApproval"/>).</summary>
    public const string ApprovalKey = "plue.approval";

    /// <summary>Marks a result with the rule that decided its call, when one was asked.</summary>
    public static void NoteApproval(FunctionResultContent result, Protocol.ToolApproval? approval)
    {
        if (approval is null) return;
        result.AdditionalProperties ??= [];
        result.AdditionalProperties[ApprovalKey] = approval;
    }

    private readonly HashSet<string> _streamedMessages = new(StringComparer.Ordinal);
    private string? _messageId;
    private string? _model;

    public IEnumerable<ChatResponseUpdate> Map(JsonElement line)
    {
        switch (ClaudeCodeWire.TypeOf(line))
        {
            case "system" when ClaudeCodeWire.String(line, "subtype") == "init":
                _model = ClaudeCodeWire.String(line, "model") ?? _model;
                return [];
            case "stream_event" when IsTopLevel(line):
                return MapEvent(line.GetProperty("event"));
            case "assistant":
                return MapAssistant(line);
            case "user":
                return MapToolResults(line);
            default:
                return [];
        }
    }

    /// <summary>The last update of a successful turn; throws <see cref="ClaudeCodeException"/> for an error result.</summary>
    public ChatResponseUpdate Complete(JsonElement result, double turnCostUsd)
    {
        if (result.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True) throw ErrorFrom(result);
        var update = Update(ChatRole.Assistant, []);
        update.FinishReason = FinishReasonOf(ClaudeCodeWire.String(result, "stop_reason"));
        if (result.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            update.Contents.Add(new UsageContent(UsageOf(usage)));
        update.AdditionalProperties = new AdditionalPropertiesDictionary { [CostKey] = turnCostUsd };
        if (result.TryGetProperty("total_cost_usd", out var total) && total.TryGetDouble(out var totalCost)) update.AdditionalProperties[TotalCostKey] = totalCost;
        if (ClaudeCodeWire.String(result, "session_id") is { } cliSession) update.AdditionalProperties[CliSessionKey] = cliSession;
        return update;
    }

    public static double TotalCostOf(JsonElement result) =>
        result.TryGetProperty("total_cost_usd", out var total) && total.TryGetDouble(out var cost) ? cost : 0;

    private IEnumerable<ChatResponseUpdate> MapEvent(JsonElement e)
    {
        switch (ClaudeCodeWire.String(e, "type"))
        {
            case "message_start":
                var message = e.GetProperty("message");
                _messageId = ClaudeCodeWire.String(message, "id");
                _model = ClaudeCodeWire.String(message, "model") ?? _model;
                if (_messageId is not null) _streamedMessages.Add(_messageId);
                yield break;
            case "content_block_delta":
                var delta = e.GetProperty("delta");
                switch (ClaudeCodeWire.String(delta, "type"))
                {
                    case "text_delta":
                        yield return Update(ChatRole.Assistant, [new TextContent(ClaudeCodeWire.String(delta, "text"))]);
                        break;
                    case "thinking_delta":
                        yield return Update(ChatRole.Assistant, [new TextReasoningContent(ClaudeCodeWire.String(delta, "thinking"))]);
                        break;
                    case "signature_delta":
                        yield return Update(ChatRole.Assistant, [new TextReasoningContent("") { ProtectedData = ClaudeCodeWire.String(delta, "signature") }]);
                        break;
                }
                yield break;
        }
    }

    private IEnumerable<ChatResponseUpdate> MapAssistant(JsonElement line)
    {
        var message = line.GetProperty("message");
        var id = ClaudeCodeWire.String(message, "id");
        var streamed = id is not null && _streamedMessages.Contains(id);
        var topLevel = IsTopLevel(line);
        _messageId = id ?? _messageId;
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) yield break;
        foreach (var block in content.EnumerateArray())
        {
            switch (ClaudeCodeWire.String(block, "type"))
            {
                case "tool_use":
                    var call = new FunctionCallContent(ClaudeCodeWire.String(block, "id") ?? "", ClaudeCodeWire.String(block, "name") ?? "", ArgumentsOf(block))
                    {
                        InformationalOnly = true,
                    };
                    yield return Update(ChatRole.Assistant, [call]);
                    break;
                // Without partial messages (or for a message whose events were missed) the completed blocks carry the text.
                case "text" when !streamed && topLevel:
                    yield return Update(ChatRole.Assistant, [new TextContent(ClaudeCodeWire.String(block, "text"))]);
                    break;
                case "thinking" when !streamed && topLevel:
                    yield return Update(ChatRole.Assistant, [new TextReasoningContent(ClaudeCodeWire.String(block, "thinking")) { ProtectedData = ClaudeCodeWire.String(block, "signature") }]);
                    break;
                case "redacted_thinking" when !streamed && topLevel:
                    yield return Update(ChatRole.Assistant, [new TextReasoningContent("") { ProtectedData = ClaudeCodeWire.String(block, "data") }]);
                    break;
            }
        }
    }

    private IEnumerable<ChatResponseUpdate> MapToolResults(JsonElement line)
    {
        if (!line.TryGetProperty("message", out var message) || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) yield break;
        foreach (var block in content.EnumerateArray())
        {
            if (ClaudeCodeWire.String(block, "type") != "tool_result") continue;
            var id = ClaudeCodeWire.String(block, "tool_use_id") ?? "";
            var result = new FunctionResultContent(id, ResultOf(block));
            if (block.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True)
            {
                result.AdditionalProperties = new AdditionalPropertiesDictionary { [ErrorKey] = true };
                if (wasDenied?.Invoke(id) == true) result.AdditionalProperties[DeniedKey] = true;
            }
            NoteApproval(result, approvalOf?.Invoke(id));
            yield return Update(ChatRole.Tool, [result]);
        }
    }

    private ChatResponseUpdate Update(ChatRole role, IList<AIContent> contents) => new(role, contents)
    {
        MessageId = _messageId,
        ModelId = _model,
        ConversationId = conversationId,
    };

    private static bool IsTopLevel(JsonElement line) =>
        !line.TryGetProperty("parent_tool_use_id", out var parent) || parent.ValueKind == JsonValueKind.Null;

    private static Dictionary<string, object?> ArgumentsOf(JsonElement block)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object)
            foreach (var property in input.EnumerateObject()) arguments[property.Name] = property.Value.Clone();
        return arguments;
    }

    /// <summary>A tool result's content: a string, or the text parts of a block list joined; other shapes as JSON.</summary>
    private static object? ResultOf(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content)) return null;
        if (content.ValueKind == JsonValueKind.String) return content.GetString();
        if (content.ValueKind == JsonValueKind.Array && content.EnumerateArray().All(p => ClaudeCodeWire.String(p, "type") == "text"))
            return string.Join("\n", content.EnumerateArray().Select(p => ClaudeCodeWire.String(p, "text")));
        return content.Clone();
    }

    private static UsageDetails UsageOf(JsonElement usage)
    {
        long Count(string name) => usage.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;
        var cacheRead = Count("cache_read_input_tokens");
        var cacheWrite = Count("cache_creation_input_tokens");
        var input = Count("input_tokens") + cacheRead + cacheWrite;
        // The keys every backend shares (ProviderUsage), so the transcript reads the cache writes too.
        return ProviderUsage.Create(input, Count("output_tokens"), cacheRead, cacheWrite, reasoning: 0);
    }

    private static ChatFinishReason? FinishReasonOf(string? stopReason) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" or "pause_turn" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(stopReason),
    };

    /// <summary>A clear error for a result line with <c>is_error: true</c>.</summary>
    internal static ClaudeCodeException ErrorFrom(JsonElement result)
    {
        var subtype = ClaudeCodeWire.String(result, "subtype");
        var text = ClaudeCodeWire.String(result, "result");
        int? status = result.TryGetProperty("api_error_status", out var s) && s.TryGetInt32(out var code) ? code : null;
        var errors = result.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
            ? string.Join("; ", list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()))
            : null;
        var turns = result.TryGetProperty("num_turns", out var n) && n.TryGetInt32(out var t) ? t.ToString(CultureInfo.InvariantCulture) : "?";
        var message = subtype switch
        {
            "error_max_turns" => $"Claude Code stopped: it reached the maximum number of turns ({turns}) before finishing.",
            "error_max_budget_usd" => "Claude Code stopped: the session reached its spending limit.",
            _ when status is 401 or 403 =>
                $"Claude Code was refused by the model API (HTTP {status}): the API key or login is not valid. {text}".TrimEnd(),
            _ when text is not null && text.Contains("Not logged in", StringComparison.OrdinalIgnoreCase) =>
                $"Claude Code is not logged in: run `claude` and /login, or give the instance an API key. ({text})",
            _ => $"Claude Code failed{(status is null ? "" : $" (HTTP {status})")}: {text ?? errors ?? subtype ?? "unknown error"}",
        };
        return new ClaudeCodeException(message) { ResultSubtype = subtype, ResultText = text ?? errors, ApiErrorStatus = status };
    }
}
