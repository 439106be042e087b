using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Transcripts;

/// <summary>
/// A transcript with tool traffic as the model is sent it (a task's, or a chat's whose tools the sidecar runs):
/// each assistant message with its text and tool calls, then one tool message answering every call; a system message
/// as system content where it stands. A call
/// left without a result (the run was interrupted) is answered as such, since providers refuse an unanswered call.
/// </summary>
public static class ToolTranscript
{
    public const string Unanswered = "The call did not finish: the task was interrupted before its result arrived.";

    /// <summary>The history; <paramref name="user"/> gives a user message's contents (by default its text, joined).</summary>
    public static List<ChatMessage> Build(IEnumerable<SessionMessage> transcript, Func<SessionMessage, List<AIContent>>? user = null)
    {
        var history = new List<ChatMessage>();
        foreach (var message in TranscriptReplay.Ended(transcript))
        {
            if (TranscriptReplay.SummaryOf(message) is { } summary)
            {
                history.Add(summary);
                continue;
            }
            if (message.Role == MessageRole.System)
            {
                if (UserText(message) is [_] text) history.Add(new ChatMessage(ChatRole.System, text));
                continue;
            }
            if (message.Role == MessageRole.User)
            {
                var contents = (user ?? UserText)(message);
                if (contents.Count > 0) history.Add(new ChatMessage(ChatRole.User, contents));
                continue;
            }
            var (said, calls) = Assistant(message);
            if (said.Count + calls.Count == 0) continue;
            history.Add(new ChatMessage(ChatRole.Assistant, [.. said, .. calls]));
            if (calls.Count == 0) continue;
            var results = message.Parts.OfType<ToolResultPart>().Where(p => p.ToolCallId is not null)
                .GroupBy(p => p.ToolCallId!).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            history.Add(new ChatMessage(ChatRole.Tool, [.. calls.Select(call => (AIContent)new FunctionResultContent(call.CallId,
                results.TryGetValue(call.CallId, out var result) ? result.Output ?? "" : Unanswered))]));
        }
        return history;
    }

    private static List<AIContent> UserText(SessionMessage message)
    {
        // An agent hook's context (UserPromptSubmit, SessionStart, a Stop hook's reason) is read with the text.
        var text = string.Join("\n\n", message.Parts.Select(p => p switch { TextPart t => t.Text, HookPart h => h.Context, _ => null }).Where(t => !string.IsNullOrWhiteSpace(t)));
        return text.Length > 0 ? [new TextContent(text)] : [];
    }

    private static (List<AIContent> Said, List<FunctionCallContent> Calls) Assistant(SessionMessage message)
    {
        var said = new List<AIContent>();
        var calls = new List<FunctionCallContent>();
        foreach (var part in message.Parts)
        {
            if (TranscriptReplay.Said(part) is { } content) said.Add(content);
            else if (part is ToolUsePart { ToolCallId: { } id, Name: { } name } use) calls.Add(new FunctionCallContent(id, name, Arguments(use)));
        }
        return (said, calls);
    }

    /// <summary>The call's input as the model wrote it: JSON values, as a provider's own call would carry them.</summary>
    public static Dictionary<string, object?> Arguments(ToolUsePart toolUse)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (toolUse.Input is not System.Text.Json.Nodes.JsonObject input) return arguments;
        using var document = JsonDocument.Parse(input.ToJsonString());
        foreach (var property in document.RootElement.EnumerateObject()) arguments[property.Name] = property.Value.Clone();
        return arguments;
    }
}
