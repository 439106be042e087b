namespace Plue.Catalog;

/// <summary>A catalog change was refused; <see cref="Problems"/> lists every reason, each naming where it is.</summary>
public sealed class CatalogProblemsException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
