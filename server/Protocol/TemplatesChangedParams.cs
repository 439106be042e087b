namespace Plue.Protocol;

/// <summary><c>templates/changed</c> params: the ids usable after the reload.</summary>
public sealed record TemplatesChangedParams
{
    public required IReadOnlyList<string> Ids { get; init; }
}
