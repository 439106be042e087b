using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>One write a streaming turn leaves to <see cref="TranscriptWriter"/>: a new part, or text appended to one.</summary>
internal readonly record struct StreamedWrite
{
    public required string PartId { get; init; }
    /// <summary>Text to append to the part (consecutive deltas of one part gathered in one builder); null for an insert.</summary>
    public System.Text.StringBuilder? Text { get; init; }
    /// <summary>The part to insert, at <see cref="PartSeq"/> of <see cref="MessageId"/>; null for an append.</summary>
    public MessagePart? NewPart { get; init; }
    public string? MessageId { get; init; }
    public int PartSeq { get; init; }

    public static StreamedWrite Insert(string messageId, int seq, MessagePart part) => new() { PartId = part.Id, NewPart = part, MessageId = messageId, PartSeq = seq };

    public static StreamedWrite Append(string partId, string delta) => new() { PartId = partId, Text = new System.Text.StringBuilder(delta) };
}
