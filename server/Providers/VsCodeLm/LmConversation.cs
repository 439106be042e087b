using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers.Transform;

namespace Plue.Providers.VsCodeLm;

/// <summary>
/// A conversation in the Language Model API's shape (<see cref="LmMessage"/>) and back: user and assistant turns of
/// text, tool calls and tool results. The API has no system role, so instructions and system text open the first
/// user turn; media it cannot carry is named in the text rather than dropped silently.
/// </summary>
public static class LmConversation
{
    public const string User = "user";
    public const string Assistant = "assistant";

    public static IReadOnlyList<LmMessage> FromChat(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var result = new List<LmMessage>();
        var system = ContentJson.SystemText(messages, options);
        foreach (var message in messages.Where(m => m.Role != ChatRole.System))
        {
            var role = message.Role == ChatRole.Assistant ? Assistant : User;
            var parts = message.Contents.Select(ToPart).OfType<LmPart>().ToList();
            if (parts.Count == 0) continue;
            // Consecutive turns of one role become one: the API alternates user and assistant.
            if (result.Count > 0 && result[^1].Role == role) result[^1] = result[^1] with { Parts = [.. result[^1].Parts, .. parts] };
            else result.Add(new LmMessage { Role = role, Parts = parts });
        }
        if (!string.IsNullOrEmpty(system))
        {
            var first = new LmPart { Text = system };
            if (result.Count > 0 && result[0].Role == User) result[0] = result[0] with { Parts = [first, .. result[0].Parts] };
            else result.Insert(0, new LmMessage { Role = User, Parts = [first] });
        }
        return result;
    }

    public static IReadOnlyList<LmTool>? Tools(ChatOptions? options)
    {
        var tools = ContentJson.Functions(options).Select(f => new LmTool { Name = f.Name, Description = f.Description, InputSchema = ContentJson.Schema(f) }).ToList();
        return tools.Count == 0 ? null : tools;
    }

    /// <summary>The wire part of one content; null for what the conversation need not carry (usage, empty text).</summary>
    public static LmPart? ToPart(AIContent content) => content switch
    {
        TextContent { Text.Length: > 0 } text => new LmPart { Text = text.Text },
        FunctionCallContent call => new LmPart { ToolCall = new LmToolCall { CallId = call.CallId, Name = call.Name, Input = Arguments(call.Arguments) } },
        FunctionResultContent result => new LmPart { ToolResult = new LmToolResult { CallId = result.CallId, Text = ContentJson.ResultText(result) } },
        DataContent data => new LmPart { Text = $"[{data.MediaType} attachment: this model is reached through VS Code's Language Model API, which takes text only]" },
        _ => null,
    };

    /// <summary>The content of one wire part (a tool result becomes its text with the call it answers).</summary>
    public static AIContent ToContent(LmPart part) => part switch
    {
        { ToolCall: { } call } => new FunctionCallContent(call.CallId, call.Name,
            call.Input.ValueKind == JsonValueKind.Object ? ContentJson.FromObject(call.Input) : new Dictionary<string, object?>()),
        { ToolResult: { } result } => new FunctionResultContent(result.CallId, result.Text),
        _ => new TextContent(part.Text ?? ""),
    };

    /// <summary>Messages from the wire: a user message holding only tool results becomes a tool message.</summary>
    public static IReadOnlyList<ChatMessage> ToChat(IEnumerable<LmMessage> messages) =>
        [.. messages.Select(m => new ChatMessage(
            m.Role == Assistant ? ChatRole.Assistant : m.Parts.Count > 0 && m.Parts.All(p => p.ToolResult is not null) ? ChatRole.Tool : ChatRole.User,
            [.. m.Parts.Select(ToContent)]))];

    private static JsonElement Arguments(IDictionary<string, object?>? arguments)
    {
        using var doc = JsonDocument.Parse(ContentJson.ArgumentsText(arguments));
        return doc.RootElement.Clone();
    }
}
