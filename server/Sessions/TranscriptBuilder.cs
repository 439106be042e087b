using System.Text;
using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Sessions;

/// <summary>Turns a stored transcript into the messages a model is sent.</summary>
public static class TranscriptBuilder
{
    private static readonly HashSet<string> s_replayed = ["complete", "cancelled", "interrupted", "error"];

    public static List<ChatMessage> Build(IEnumerable<SessionMessage> transcript)
    {
        var history = new List<ChatMessage>();
        foreach (var message in transcript.Where(m => s_replayed.Contains(m.Status)))
        {
            var contents = message.Role == "user" ? UserContents(message) : AssistantContents(message);
            if (contents.Count == 0) continue;
            history.Add(new ChatMessage(message.Role == "user" ? ChatRole.User : ChatRole.Assistant, contents));
        }
        return history;
    }

    private static List<AIContent> UserContents(SessionMessage message)
    {
        var contents = new List<AIContent>();
        foreach (var part in message.Parts)
        {
            switch (part.Kind)
            {
                case "text" when !string.IsNullOrEmpty(part.Text):
                    contents.Add(new TextContent(part.Text));
                    break;
                case "file" when part.MimeType?.StartsWith("image/", StringComparison.Ordinal) == true && part.Content is { } data:
                    contents.Add(new DataContent(Convert.FromBase64String(data), part.MimeType));
                    break;
                case "file":
                    contents.Add(new TextContent(Attachment(part)));
                    break;
            }
        }
        return contents;
    }

    // Reasoning goes back with its signature (providers check it); tool traffic is the backend's own.
    private static List<AIContent> AssistantContents(SessionMessage message)
    {
        var contents = new List<AIContent>();
        foreach (var part in message.Parts)
        {
            if (part.Kind == "text" && !string.IsNullOrEmpty(part.Text)) contents.Add(new TextContent(part.Text));
            else if (part.Kind == "reasoning" && !string.IsNullOrEmpty(part.Text) && part.Signature is { } signature)
                contents.Add(new TextReasoningContent(part.Text) { ProtectedData = signature });
        }
        return contents;
    }

    /// <summary>An attached file or selection as the model reads it: where it is from, then its text.</summary>
    public static string Attachment(MessagePart part)
    {
        var where = part.Range is { } r ? $"{part.Path}:{r.StartLine}-{r.EndLine}" : part.Path;
        var fence = part.Content?.Contains("```", StringComparison.Ordinal) == true ? "~~~~" : "```";
        return new StringBuilder()
            .Append("Attached ").Append(part.Range is null ? "file" : "selection").Append(' ').Append(where).Append(":\n")
            .Append(fence).Append(part.Language).Append('\n').Append(part.Content).Append('\n').Append(fence).ToString();
    }
}
