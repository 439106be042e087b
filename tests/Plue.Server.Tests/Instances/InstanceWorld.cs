using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Instances;
using Plue.Tests.Codex.Records;
using Plue.Tests.Support;
using Plue.Vault;

namespace Plue.Tests.Instances;

/// <summary>Real codex store, the shipped catalog and templates, a real vault, and an environment the test controls.</summary>
internal sealed class InstanceWorld : IDisposable
{
    public InstanceWorld()
    {
        CatalogStore? catalog = null;
        FileVault? vault = null;
        ProviderKind? kind = null;
        Codex = new CodexWorld(kinds: home =>
        {
            Directory.CreateDirectory(home);
            catalog = new CatalogStore(RepoPaths.Catalog, () => Path.Combine(home, "catalog"), NullLogger<CatalogStore>.Instance);
            var key = VaultKey.Generate().ToBase64();
            vault = new FileVault(new VaultKeySource(() => key, _ => null, () => home), () => home, NullLogger<FileVault>.Instance);
            kind = new ProviderKind(catalog, vault, () => Codex!.Templates.Registry);
            return [kind];
        });
        Catalog = catalog!;
        Vault = vault!;
        Service = new InstanceService(Codex.Service, Catalog, Vault, kind!, name => Environment.GetValueOrDefault(name));
        Resolver = new InstanceResolver(Service, Catalog, Vault);
    }

    public CodexWorld Codex { get; }
    public CatalogStore Catalog { get; }
    public FileVault Vault { get; }
    public Dictionary<string, string> Environment { get; } = [];
    public InstanceService Service { get; }
    public InstanceResolver Resolver { get; }
    public string Home => Codex.Templates.Home;

    public void Dispose() => Codex.Dispose();
}
