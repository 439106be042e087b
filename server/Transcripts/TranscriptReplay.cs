using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>What of a stored transcript goes back to a model, alike for chats and tasks.</summary>
public static class TranscriptReplay
{
    private static readonly HashSet<MessageStatus> s_ended = [MessageStatus.Complete, MessageStatus.Cancelled, MessageStatus.Interrupted, MessageStatus.Error];

    /// <summary>The messages that ended, however they ended; one still streaming is not sent.</summary>
    public static IEnumerable<SessionMessage> Ended(IEnumerable<SessionMessage> transcript) => transcript.Where(m => s_ended.Contains(m.Status));

    /// <summary>
    /// What an assistant said in one part: its text, or its reasoning, which goes back only with its signature
    /// (providers check it); null for an empty part or any other kind.
    /// </summary>
    public static AIContent? Said(MessagePart part) => part switch
    {
        TextPart { Text: { Length: > 0 } text } => new TextContent(text),
        ReasoningPart { Text: { Length: > 0 } thought, Signature: { } signature } => new TextReasoningContent(thought) { ProtectedData = signature },
        _ => null,
    };
}
