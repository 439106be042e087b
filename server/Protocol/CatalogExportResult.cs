namespace Plue.Protocol;

/// <summary><c>catalog/export</c> result: the file's text and the name it would have in a catalog folder (<c>&lt;provider id&gt;.json</c>).</summary>
public sealed record CatalogExportResult
{
    public required string FileName { get; init; }
    public required string Text { get; init; }
}
