using Plue.Protocol;

namespace Plue.Instances;

/// <summary>How a <see cref="ModelFilter"/> narrows a list of models.</summary>
public static class ModelFilterRules
{
    extension(ModelFilter filter)
    {
        public bool Admits(CatalogModel model) =>
            (filter.MaxInputPrice is not { } max || model.Prices?.Input is not { } price || price <= max)
            && (filter.MinContextWindow is not { } min || model.ContextWindow is not { } window || window >= min)
            && (filter.Allow is not { Count: > 0 } allow || allow.Contains(model.Id, StringComparer.Ordinal))
            && (filter.Deny is not { } deny || !deny.Contains(model.Id, StringComparer.Ordinal));

        public IReadOnlyList<CatalogModel> Apply(IEnumerable<CatalogModel> models) => [.. models.Where(filter.Admits)];
    }
}
