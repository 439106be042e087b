namespace Plue.Protocol;

/// <summary><c>catalog/import</c> params: a catalog file's text (the project's format or Catwalk's) and its name, for messages.</summary>
public sealed record CatalogImportParams
{
    public required string Text { get; init; }
    public string? FileName { get; init; }
}
