using Plue.Catalog;

namespace Plue.Instances;

/// <summary>Narrows the models an instance offers; it never adds one. Also its wire shape (every member optional).</summary>
public sealed record ModelFilter
{
    /// <summary>USD per 1M input tokens; a model of unknown price passes (unknown is not "too expensive").</summary>
    public double? MaxInputPrice { get; init; }
    public int? MinContextWindow { get; init; }
    /// <summary>When not empty, only these model ids.</summary>
    public IReadOnlyList<string>? Allow { get; init; }
    /// <summary>Never these model ids.</summary>
    public IReadOnlyList<string>? Deny { get; init; }

    public bool Admits(CatalogModel model) =>
        (MaxInputPrice is not { } max || model.Prices?.Input is not { } price || price <= max)
        && (MinContextWindow is not { } min || model.ContextWindow is not { } window || window >= min)
        && (Allow is not { Count: > 0 } allow || allow.Contains(model.Id, StringComparer.Ordinal))
        && (Deny is not { } deny || !deny.Contains(model.Id, StringComparer.Ordinal));

    public IReadOnlyList<CatalogModel> Apply(IEnumerable<CatalogModel> models) => [.. models.Where(Admits)];
}
