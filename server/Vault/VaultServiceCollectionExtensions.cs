using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Vault;

public static class VaultServiceCollectionExtensions
{
    /// <summary>The encrypted secret store (<c>$PLUE_HOME/vault.bin</c>) and its RPC methods.</summary>
    public static IServiceCollection AddVault(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var session = sp.GetRequiredService<WorkspaceContext>();
            return new VaultKeySource(() => session.VaultKey, Environment.GetEnvironmentVariable, () => session.Home);
        });
        services.AddSingleton<IVault>(sp => new FileVault(sp.GetRequiredService<VaultKeySource>(),
            () => sp.GetRequiredService<WorkspaceContext>().Home, sp.GetRequiredService<ILogger<FileVault>>()));

        services.AddSingleton<IEndpoints, VaultEndpoints>();
        return services;
    }
}
