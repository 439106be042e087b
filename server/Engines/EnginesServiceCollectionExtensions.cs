using Microsoft.Extensions.DependencyInjection;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Engines;

public static class EnginesServiceCollectionExtensions
{
    /// <summary>Docker engines as records (<c>docker-engine</c>), the Engine API client and their RPC methods.</summary>
    public static IServiceCollection AddEngines(this IServiceCollection services)
    {
        services.AddSingleton<EngineKind>();
        services.AddSingleton<IRecordKind>(sp => sp.GetRequiredService<EngineKind>());
        services.AddSingleton(sp => new EngineService(sp.GetRequiredService<CodexService>(), sp.GetRequiredService<IVault>(),
            sp.GetRequiredService<WorkspaceContext>(), Environment.GetEnvironmentVariable));
        services.AddSingleton<EngineReachability>();
        services.AddEndpoints<EngineEndpoints>(Contract.EnginesTest.Name, Contract.EnginesReach.Name);
        return services;
    }
}
