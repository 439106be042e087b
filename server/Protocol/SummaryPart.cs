namespace Plue.Protocol;

/// <summary>
/// The conversation before it, compacted: what later requests send instead of those messages (which stay in the
/// store). The goal, the instructions, files touched and unresolved tool results are in it verbatim.
/// </summary>
public sealed record SummaryPart : MessagePart
{
    /// <summary>The summary as the model is sent it.</summary>
    public string? Text { get; init; }
    /// <summary>How many messages it stands for.</summary>
    public int? Messages { get; init; }
    /// <summary>What the user asked it to focus on (<c>/compact focus</c>); absent when compacted by itself.</summary>
    public string? Focus { get; init; }
}
