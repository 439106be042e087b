using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>
/// A provider as the store holds it: what <c>catalog/list</c> shows, where it came from, its file, and its
/// full definition, which for a shipped file is parsed on first use (see <see cref="CatalogFileHeader"/>).
/// </summary>
public sealed class CatalogEntry
{
    private readonly Lazy<CatalogProvider> _provider;

    /// <summary>A shipped file known by its header; the rest is parsed when <see cref="Provider"/> is first read.</summary>
    public CatalogEntry(CatalogProviderSummary summary, string? apiKeyEnv, string path)
    {
        Id = summary.Id;
        Origin = CatalogOrigin.Shipped;
        ApiKeyEnv = apiKeyEnv;
        Path = path;
        Summary = summary;
        _provider = new(() => CatalogFiles.Parse(CatalogFiles.ReadShipped(path).Span), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A provider already parsed (and validated): a user file.</summary>
    public CatalogEntry(CatalogProvider provider, CatalogOrigin origin, string path)
    {
        Id = provider.Id;
        Origin = origin;
        ApiKeyEnv = provider.ApiKeyEnv;
        Path = path;
        Summary = Summarize(provider.Id, provider.Name, provider.Type, provider.DefaultEndpoint, provider.Models.Count,
            origin == CatalogOrigin.User ? "user" : "shipped", provider.IsSupported);
        _provider = new(provider);
    }

    public string Id { get; }
    public CatalogOrigin Origin { get; }
    public string Path { get; }
    public CatalogProviderSummary Summary { get; }

    /// <summary>The environment variable conventionally holding the provider's API key; null when it needs none.</summary>
    public string? ApiKeyEnv { get; }

    /// <summary>The full definition; for a shipped entry the first read parses its file.</summary>
    public CatalogProvider Provider => _provider.Value;

    internal static CatalogProviderSummary Summarize(string id, string name, string type, string? endpoint, int models, string source, bool supported) => new()
    {
        Id = id,
        Name = name,
        Type = type,
        DefaultEndpoint = endpoint,
        ModelCount = models,
        Source = source,
        Supported = supported,
    };
}
