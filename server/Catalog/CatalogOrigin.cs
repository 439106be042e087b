namespace Plue.Catalog;

/// <summary>Where a provider's definition was loaded from.</summary>
public enum CatalogOrigin
{
    /// <summary>The catalog shipped beside the sidecar (<c>catalog/</c> in the repository).</summary>
    Shipped,

    /// <summary>A file in <c>$PLUE_HOME/catalog</c>: a custom provider, or an override of a shipped one.</summary>
    User,
}
