namespace Plue.Protocol;

public sealed record SessionListParams
{
    public bool? Archived { get; init; }
}
