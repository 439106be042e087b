using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>The provider catalog (shipped and user files) and its RPC methods.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton(sp => new CatalogStore(CatalogStore.ShippedDirectory,
            () => Path.Combine(sp.GetRequiredService<WorkspaceContext>().Home, "catalog"), sp.GetRequiredService<ILogger<CatalogStore>>()));
        services.AddSingleton<IEndpoints, CatalogEndpoints>();
        return services;
    }
}
