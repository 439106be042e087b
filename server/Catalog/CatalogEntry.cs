using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>A provider as the store holds it: its definition, where it came from, and its file.</summary>
public sealed record CatalogEntry(CatalogProvider Provider, CatalogOrigin Origin, string Path)
{
    public string Id => Provider.Id;

    public CatalogProviderSummary ToSummary() => new()
    {
        Id = Provider.Id,
        Name = Provider.Name,
        Type = Provider.Type,
        DefaultEndpoint = Provider.DefaultEndpoint,
        ModelCount = Provider.Models.Count,
        Source = Origin == CatalogOrigin.User ? "user" : "shipped",
        Supported = Provider.IsSupported,
    };
}
