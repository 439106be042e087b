namespace Plue.Protocol;

public sealed record SessionCompactParams
{
    public required string SessionId { get; init; }
    /// <summary>What the summary should keep above all (the words after <c>/compact</c>).</summary>
    public string? Focus { get; init; }
}
