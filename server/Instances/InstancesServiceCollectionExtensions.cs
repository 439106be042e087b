using Microsoft.Extensions.DependencyInjection;
using Plue.Catalog;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Rpc;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Instances;

public static class InstancesServiceCollectionExtensions
{
    /// <summary>Provider instances (llm-provider codices and environment keys), the resolver backends use, and their RPC methods.</summary>
    public static IServiceCollection AddInstances(this IServiceCollection services)
    {
        services.AddSingleton(sp => new InstanceTestLog(() => sp.GetRequiredService<WorkspaceContext>().Home));
        services.AddSingleton(sp => new ModelListFile(() => sp.GetRequiredService<WorkspaceContext>().Home));
        services.AddSingleton(sp => new ProviderKind(sp.GetRequiredService<CatalogStore>(), sp.GetRequiredService<IVault>(), () => sp.GetRequiredService<TemplateRegistry>(), sp.GetRequiredService<InstanceTestLog>()));
        services.AddSingleton<IRecordKind>(sp => sp.GetRequiredService<ProviderKind>());
        services.AddSingleton(sp => new InstanceService(sp.GetRequiredService<CodexService>(), sp.GetRequiredService<CatalogStore>(),
            sp.GetRequiredService<IVault>(), sp.GetRequiredService<ProviderKind>(), Environment.GetEnvironmentVariable, sp.GetRequiredService<InstanceTestLog>(),
            sp.GetRequiredService<ModelListFile>()));
        services.AddSingleton<InstanceResolver>();

        services.AddEndpoints<InstanceEndpoints>("instances/");
        return services;
    }
}
