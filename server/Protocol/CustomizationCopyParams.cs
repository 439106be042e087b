namespace Plue.Protocol;

/// <summary><c>customizations/copy</c> params: the found file to copy into a Plue record.</summary>
public sealed record CustomizationCopyParams
{
    /// <summary>The file's path, as <c>customizations/list</c> gives it.</summary>
    public required string Source { get; init; }
    /// <summary>The item's name, where one file holds several (a hooks file's matcher groups); absent: the file's one item.</summary>
    public string? Name { get; init; }
}
