using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Plue.Providers.Transform;
using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>Turns a stored transcript into the messages a model is sent.</summary>
public static class TranscriptBuilder
{
    // Each stored message (the transcript cache keeps them between turns, never changed) makes its model message once,
    // which keeps its wire JSON: a long chat's turn neither builds nor writes its history again. Weak: they go together.
    private static readonly ConditionalWeakTable<SessionMessage, StoredChatMessage> s_made = new();

    public static List<ChatMessage> Build(IEnumerable<SessionMessage> transcript)
    {
        var history = new List<ChatMessage>();
        foreach (var message in TranscriptReplay.Ended(transcript))
            if ((TranscriptReplay.SummaryOf(message) ?? Made(message)) is { } made) history.Add(made);
        return history;
    }

    private static StoredChatMessage? Made(SessionMessage message)
    {
        if (s_made.TryGetValue(message, out var made)) return made;
        var contents = message.Role switch
        {
            MessageRole.User => UserContents(message),
            MessageRole.System => [.. message.Parts.OfType<TextPart>().Where(p => p.Text is { Length: > 0 }).Select(p => (AIContent)new TextContent(p.Text))],
            _ => AssistantContents(message),
        };
        if (contents.Count == 0) return null;
        made = new StoredChatMessage(message.Role switch { MessageRole.User => ChatRole.User, MessageRole.System => ChatRole.System, _ => ChatRole.Assistant }, contents);
        s_made.AddOrUpdate(message, made);
        return made;
    }

    /// <summary>A user message's contents: its text, images and attached files, and what its agent hooks added.</summary>
    public static List<AIContent> UserContents(SessionMessage message)
    {
        var contents = new List<AIContent>();
        foreach (var part in message.Parts)
        {
            switch (part)
            {
                case TextPart { Text: { } text } when !string.IsNullOrWhiteSpace(text): // Anthropic refuses a blank text block
                    contents.Add(new TextContent(text));
                    break;
                case FilePart { MimeType: { } mime, Content: { } data } when mime.StartsWith("image/", StringComparison.Ordinal):
                    contents.Add(new DataContent(Convert.FromBase64String(data), mime));
                    break;
                case FilePart file:
                    contents.Add(new TextContent(AttachedFile.Text(file)));
                    break;
                case HookPart { Context: { } added } when !string.IsNullOrWhiteSpace(added):
                    contents.Add(new TextContent(added));
                    break;
            }
        }
        return contents;
    }

    // Tool traffic is the backend's own: a chat sends back only what was said.
    private static List<AIContent> AssistantContents(SessionMessage message) =>
        [.. message.Parts.Select(TranscriptReplay.Said).OfType<AIContent>()];
}
