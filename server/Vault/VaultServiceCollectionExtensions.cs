using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Vault;

public static class VaultServiceCollectionExtensions
{
    /// <summary>The encrypted secret store (<c>$PLUE_HOME/vault.bin</c>) and its RPC methods.</summary>
    public static IServiceCollection AddVault(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var session = sp.GetRequiredService<SidecarSession>();
            return new VaultKeySource(() => session.Options.VaultKey, Environment.GetEnvironmentVariable, () => session.Home);
        });
        services.AddSingleton<IVault>(sp => new FileVault(sp.GetRequiredService<VaultKeySource>(),
            () => sp.GetRequiredService<SidecarSession>().Home, sp.GetRequiredService<ILogger<FileVault>>()));

        services.AddSingleton<IEndpoints, VaultEndpoints>();
        return services;
    }
}
