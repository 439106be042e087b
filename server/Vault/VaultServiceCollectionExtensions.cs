using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Rpc;
using Plue.Vault.Keychain;
using Plue.Workspace;

namespace Plue.Vault;

public static class VaultServiceCollectionExtensions
{
    /// <summary>How long a keychain call may take before the key file is used instead (a local keyring answers in milliseconds).</summary>
    private static readonly TimeSpan KeychainTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The encrypted secret store (<c>$PLUE_HOME/vault.bin</c>) and its RPC methods.</summary>
    public static IServiceCollection AddVault(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var session = sp.GetRequiredService<WorkspaceContext>();
            var keychain = OsKeychain.Create(KeychainTimeout, Environment.GetEnvironmentVariable);
            return new VaultKeySource(() => session.VaultKey, Environment.GetEnvironmentVariable, () => session.Home,
                keychain, sp.GetRequiredService<ILogger<VaultKeySource>>());
        });
        services.AddSingleton<IVault>(sp => new FileVault(sp.GetRequiredService<VaultKeySource>(),
            () => sp.GetRequiredService<WorkspaceContext>().Home, sp.GetRequiredService<ILogger<FileVault>>()));

        services.AddEndpoints<VaultEndpoints>("vault/");
        // The secrets a deleted record's kind kept for its undo leave once their undo time is over.
        services.AddHostedService<UndoSecrets>();
        return services;
    }
}
