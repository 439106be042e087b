using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>What the sidecar makes of a catalog provider.</summary>
public static class CatalogProviderRules
{
    extension(CatalogProvider provider)
    {
        /// <summary>Whether the sidecar can serve it: a supported kind not marked <c>supported: false</c>.</summary>
        public bool IsSupported => (provider.Supported ?? true) && ProviderTypes.Supported.Contains(provider.Type);

        /// <summary>
        /// A server of the user's own ("OpenAI-compatible (custom endpoint)"): no default endpoint and no models, so each
        /// instance names its server and offers exactly the models that server lists.
        /// </summary>
        public bool IsCustomEndpoint => provider.DefaultEndpoint is null && provider.Models is { Count: 0 } && ProviderTypes.ListsOwnModels(provider.Type ?? "");
    }
}
