using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Codex.Kinds;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>The provider catalog (shipped and user files) and its RPC methods; the <c>catalog</c> record kind.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton(sp => new CatalogStore(CatalogStore.ShippedDirectory,
            () => Path.Combine(sp.GetRequiredService<WorkspaceContext>().Home, "catalog"), sp.GetRequiredService<ILogger<CatalogStore>>()));
        services.AddSingleton<CatalogChanges>();
        services.AddSingleton<CatalogTransfer>();
        services.AddSingleton<IRecordKind, CatalogKind>();
        services.AddEndpoints<CatalogEndpoints>("catalog/");
        return services;
    }
}
