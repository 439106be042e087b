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
        Codex = new CodexWorld();
        Directory.CreateDirectory(Codex.Templates.Home);
        Catalog = new CatalogStore(RepoPaths.Catalog, () => Path.Combine(Codex.Templates.Home, "catalog"), NullLogger<CatalogStore>.Instance);
        var key = VaultKey.Generate().ToBase64();
        Vault = new FileVault(new VaultKeySource(() => key, _ => null, () => Codex.Templates.Home), () => Codex.Templates.Home, NullLogger<FileVault>.Instance);
        Service = new InstanceService(Codex.Service, Catalog, Vault, name => Environment.GetValueOrDefault(name));
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
