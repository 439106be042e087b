namespace Plue.Protocol;

/// <summary><c>task/resume</c>: a paused task may be given a higher spend cap.</summary>
public sealed record TaskResumeParams
{
    public required string Id { get; init; }
    public decimal? SpendCapUsd { get; init; }
}
