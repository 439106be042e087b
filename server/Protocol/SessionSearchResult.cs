namespace Plue.Protocol;

public sealed record SessionSearchResult
{
    /// <summary>In the order asked for.</summary>
    public required IReadOnlyList<SearchHit> Hits { get; init; }
}
