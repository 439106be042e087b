namespace Plue.Protocol;

/// <summary><c>catalog/delete</c> params: the id of a user provider or of a user override.</summary>
public sealed record DeleteCatalogParams
{
    public required string Id { get; init; }
}
