namespace Plue.Protocol;

/// <summary>What the grants of one task allow (<c>bash `npm test`</c>, <c>write</c>).</summary>
public sealed record TaskPermissions
{
    public required string TaskId { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
}
