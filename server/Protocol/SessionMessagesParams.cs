namespace Plue.Protocol;

/// <summary><c>session/messages</c>: one page, the latest <see cref="Limit"/> messages (before <see cref="BeforeSeq"/>, when given).</summary>
public sealed record SessionMessagesParams
{
    public required string Id { get; init; }
    /// <summary>At most this many messages, the latest ones before <see cref="BeforeSeq"/>: 200 when left out, at most 1000.</summary>
    public int? Limit { get; init; }
    /// <summary>Only messages whose seq is lower: the seq of the oldest message the client holds.</summary>
    public int? BeforeSeq { get; init; }
}
