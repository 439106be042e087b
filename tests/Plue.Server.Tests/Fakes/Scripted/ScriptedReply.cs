using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// One scripted answer of <see cref="ScriptedAnthropicServer"/>: an assistant message (content blocks, stop reason, usage)
/// served as Messages SSE to a streaming request and as one JSON message otherwise, or an HTTP error.
/// </summary>
internal sealed class ScriptedReply
{
    private readonly List<JsonObject> _blocks = [];

    public int Status { get; private init; } = 200;
    public string? ErrorType { get; private init; }
    public string? ErrorMessage { get; private init; }
    public string StopReason { get; private set; } = "end_turn";
    public string Model { get; private set; } = "claude-fake-1";
    public int InputTokens { get; private set; } = 12;
    public int OutputTokens { get; private set; } = 7;
    public int CacheReadTokens { get; private set; }
    public int CacheCreationTokens { get; private set; }
    /// <summary>Pause before every SSE event after message_start (slow streams).</summary>
    public TimeSpan EventDelay { get; private set; }
    /// <summary>After this many SSE events the fake stops sending content and only pings until the client hangs up.</summary>
    public int? StallAfterEvents { get; private set; }
    /// <summary>A mid-stream <c>event: error</c> sent instead of message_delta/message_stop.</summary>
    public (string Type, string Message)? StreamError { get; private set; }
    /// <summary>Only requests this accepts take the response from the queue (default: every streaming Messages request).</summary>
    public Func<ScriptedRequest, bool> Matches { get; private set; } = r => r.IsMessages && r.IsStreaming;

    public IReadOnlyList<JsonObject> Blocks => _blocks;

    public static ScriptedReply Text(string text, string stopReason = "end_turn") => new ScriptedReply().WithText(text).WithStopReason(stopReason);

    /// <summary>A tool use (stop reason tool_use), optionally preceded by text.</summary>
    public static ScriptedReply ToolUse(string id, string name, object input, string? text = null)
    {
        var response = new ScriptedReply();
        if (text is not null) response.WithText(text);
        return response.WithToolUse(id, name, input).WithStopReason("tool_use");
    }

    /// <summary>An HTTP error with Anthropic's body <c>{"type":"error","error":{type,message},"request_id"}</c>.</summary>
    public static ScriptedReply Error(int status, string type, string message, Func<ScriptedRequest, bool>? matches = null) =>
        new() { Status = status, ErrorType = type, ErrorMessage = message, Matches = matches ?? (r => r.IsMessages) };

    public ScriptedReply WithText(string text)
    {
        _blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        return this;
    }

    public ScriptedReply WithThinking(string thinking, string signature)
    {
        _blocks.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = signature });
        return this;
    }

    public ScriptedReply WithToolUse(string id, string name, object input)
    {
        var json = input as JsonNode ?? JsonNode.Parse(input as string ?? JsonSerializer.Serialize(input, input.GetType(), s_web));
        _blocks.Add(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = json });
        return this;
    }

    public ScriptedReply WithStopReason(string stopReason)
    {
        StopReason = stopReason;
        return this;
    }

    public ScriptedReply WithUsage(int input, int output, int cacheRead = 0, int cacheCreation = 0)
    {
        (InputTokens, OutputTokens, CacheReadTokens, CacheCreationTokens) = (input, output, cacheRead, cacheCreation);
        return this;
    }

    public ScriptedReply WithModel(string model)
    {
        Model = model;
        return this;
    }

    public ScriptedReply WithEventDelay(TimeSpan delay)
    {
        EventDelay = delay;
        return this;
    }

    public ScriptedReply StallAfter(int events)
    {
        StallAfterEvents = events;
        return this;
    }

    public ScriptedReply WithStreamError(string type, string message)
    {
        StreamError = (type, message);
        return this;
    }

    public ScriptedReply When(Func<ScriptedRequest, bool> matches)
    {
        Matches = matches;
        return this;
    }

    /// <summary>The error body, for a response with a non-2xx <see cref="Status"/>.</summary>
    public string ErrorBody() => new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = ErrorType, ["message"] = ErrorMessage },
        ["request_id"] = "req_fake_" + Guid.NewGuid().ToString("N")[..12],
    }.ToJsonString();

    /// <summary>The complete message, for a non-streaming request.</summary>
    public string MessageJson(string messageId) => Message(messageId, _blocks.Select(b => b.DeepClone()), StopReason, Usage(OutputTokens)).ToJsonString();

    /// <summary>The SSE events (name, data) of the streamed message, in Anthropic's order.</summary>
    public IEnumerable<(string Event, string Data)> SseEvents(string messageId)
    {
        yield return Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = Message(messageId, [], null, Usage(1)) });
        yield return Event("ping", new JsonObject { ["type"] = "ping" });
        for (var index = 0; index < _blocks.Count; index++)
        {
            var block = _blocks[index];
            var type = (string)block["type"]!;
            var start = type switch
            {
                "text" => new JsonObject { ["type"] = "text", ["text"] = "" },
                "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
                "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() },
                _ => block.DeepClone(),
            };
            yield return Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = start });
            foreach (var delta in Deltas(block))
                yield return Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta });
            yield return Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }
        if (StreamError is { } error)
        {
            yield return Event("error", new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = error.Type, ["message"] = error.Message } });
            yield break;
        }
        yield return Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason, ["stop_sequence"] = null },
            ["usage"] = Usage(OutputTokens),
        });
        yield return Event("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static IEnumerable<JsonObject> Deltas(JsonObject block)
    {
        switch ((string)block["type"]!)
        {
            case "text":
                foreach (var piece in Pieces((string)block["text"]!, 8))
                    yield return new JsonObject { ["type"] = "text_delta", ["text"] = piece };
                break;
            case "thinking":
                foreach (var piece in Pieces((string)block["thinking"]!, 8))
                    yield return new JsonObject { ["type"] = "thinking_delta", ["thinking"] = piece };
                yield return new JsonObject { ["type"] = "signature_delta", ["signature"] = (string)block["signature"]! };
                break;
            case "tool_use":
                foreach (var piece in Pieces(block["input"]!.ToJsonString(), 10))
                    yield return new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece };
                break;
        }
    }

    /// <summary>Splits text into pieces of at most <paramref name="size"/> characters, as a model streams it.</summary>
    private static IEnumerable<string> Pieces(string text, int size)
    {
        if (text.Length == 0) yield return "";
        for (var i = 0; i < text.Length; i += size)
            yield return text.Substring(i, Math.Min(size, text.Length - i));
    }

    private JsonObject Message(string id, IEnumerable<JsonNode> content, string? stopReason, JsonObject usage) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = Model,
        ["content"] = new JsonArray([.. content]),
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = usage,
    };

    private JsonObject Usage(int output) => new()
    {
        ["input_tokens"] = InputTokens,
        ["cache_creation_input_tokens"] = CacheCreationTokens,
        ["cache_read_input_tokens"] = CacheReadTokens,
        ["output_tokens"] = output,
    };

    private static (string, string) Event(string name, JsonObject data) => (name, data.ToJsonString());

    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    public override string ToString()
    {
        var text = new StringBuilder(Status == 200 ? StopReason : $"{Status} {ErrorType}");
        foreach (var block in _blocks) text.Append(' ').Append((string)block["type"]!);
        return text.ToString();
    }
}
