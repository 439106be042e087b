using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>What the sidecar makes of a catalog provider.</summary>
public static class CatalogProviderRules
{
    extension(CatalogProvider provider)
    {
        /// <summary>Whether the sidecar can serve it: a supported kind not marked <c>supported: false</c>.</summary>
        public bool IsSupported => (provider.Supported ?? true) && ProviderTypes.Supported.Contains(provider.Type);
    }
}
