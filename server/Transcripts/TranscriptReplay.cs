using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>What of a stored transcript goes back to a model, alike for chats and tasks.</summary>
public static class TranscriptReplay
{
    private static readonly HashSet<MessageStatus> s_ended = [MessageStatus.Complete, MessageStatus.Cancelled, MessageStatus.Interrupted, MessageStatus.Error];

    /// <summary>
    /// The messages that ended, however they ended; one still streaming is not sent. After a compaction, the latest
    /// summary and what follows it: the messages before it stay in the store, unsent, except the system messages, which
    /// the user added for every turn.
    /// </summary>
    public static IEnumerable<SessionMessage> Ended(IEnumerable<SessionMessage> transcript)
    {
        var ended = transcript.Where(m => s_ended.Contains(m.Status)).ToList();
        var from = ended.FindLastIndex(m => SummaryOf(m) is not null);
        return from <= 0 ? ended : ended.Take(from).Where(m => m.Role == MessageRole.System).Concat(ended.Skip(from));
    }

    /// <summary>A compaction's summary, sent as the user's message that opens the conversation; null for any other message.</summary>
    public static ChatMessage? SummaryOf(SessionMessage message) =>
        message.Parts.OfType<SummaryPart>().LastOrDefault() is { Text: { Length: > 0 } text } ? new ChatMessage(ChatRole.User, text) : null;

    /// <summary>
    /// What an assistant said in one part: its text, or its reasoning, which goes back only with its signature
    /// (providers check it); null for an empty part or any other kind.
    /// </summary>
    public static AIContent? Said(MessagePart part) => part switch
    {
        TextPart { Text: { } text } when !string.IsNullOrWhiteSpace(text) => new TextContent(text), // Anthropic refuses a blank text block
        ReasoningPart { Text: { Length: > 0 } thought, Signature: { } signature } => new TextReasoningContent(thought) { ProtectedData = signature },
        _ => null,
    };
}
