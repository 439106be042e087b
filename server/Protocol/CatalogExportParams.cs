namespace Plue.Protocol;

/// <summary><c>catalog/export</c> params: a catalog record's id and the format, <c>plue</c> (the default) or <c>catwalk</c>.</summary>
public sealed record CatalogExportParams
{
    public required string Id { get; init; }
    public string? Format { get; init; }
}
