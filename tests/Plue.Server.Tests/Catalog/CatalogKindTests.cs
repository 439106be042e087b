using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Codex.Records;
using Plue.Tests.Support;

namespace Plue.Tests.Catalog;

/// <summary>
/// The <c>catalog</c> kind over a real codex store and real folders: a record is a user catalog file, written on
/// create and edit, removed on delete, backed up before each change, and put back by undo.
/// </summary>
public sealed class CatalogKindTests : IDisposable
{
    private readonly CodexWorld _world;
    private readonly CatalogStore _catalog;

    public CatalogKindTests()
    {
        CatalogStore? catalog = null;
        _world = new CodexWorld(kinds: home =>
        {
            catalog = new CatalogStore(RepoPaths.Catalog, () => Path.Combine(home, "catalog"), NullLogger<CatalogStore>.Instance);
            return [new CatalogKind(catalog)];
        });
        _catalog = catalog!;
    }

    public void Dispose() => _world.Dispose();

    private string UserDir => Path.Combine(_world.Templates.Home, "catalog");

    private string BackupDir => Path.Combine(UserDir, CatalogBackups.Folder);

    private static JsonObject Gateway(string id = "acme-gateway") => new()
    {
        [CatalogRecords.ProviderId] = id,
        [CatalogRecords.ProviderType] = "openai-compatible",
        [CatalogRecords.Endpoint] = "https://gateway.acme.example/v1",
        [CatalogRecords.ApiKeyEnv] = "ACME_API_KEY",
        [CatalogRecords.Models] = new JsonArray(new JsonObject { ["id"] = "acme-large", ["name"] = "Acme Large", ["context_window"] = 200_000, ["input_price"] = 2, ["output_price"] = 8 }),
    };

    private CodexRecord Create(string title = "Acme Gateway", JsonObject? fields = null) =>
        _world.Service.Create(new CodexDraft { TemplateId = CatalogRecords.TemplateId, Title = title, Fields = fields ?? Gateway() });

    [Fact]
    public void Create_WritesTheUserFile_AndTheCatalogOffersItAtOnce()
    {
        var record = Create();

        var entry = _catalog.Find("acme-gateway");
        Assert.NotNull(entry);
        Assert.Equal((CatalogOrigin.User, "Acme Gateway", "https://gateway.acme.example/v1", "ACME_API_KEY"),
            (entry.Origin, entry.Provider.Name, entry.Provider.DefaultEndpoint, entry.Provider.ApiKeyEnv));
        var model = Assert.Single(entry.Provider.Models);
        Assert.Equal(("acme-large", 200_000, 2.0, 8.0), (model.Id, model.ContextWindow, model.Prices!.Input, model.Prices.Output));
        Assert.Equal(CatalogRecords.Source(record.Id), CatalogFiles.Parse(File.ReadAllBytes(Path.Combine(UserDir, "acme-gateway.json"))).Source);
        Assert.False(Directory.Exists(BackupDir), "nothing to back up before the first save");
    }

    [Fact]
    public void Edit_BacksTheFileUpFirst_AndUndoWritesItBack()
    {
        var record = Create();

        var edited = _world.Service.Update(new CodexChange
        {
            Id = record.Id, Version = record.Version, Title = "Acme EU", Fields = new() { [CatalogRecords.Endpoint] = "https://eu.acme.example/v1" },
        });
        Assert.Equal(("Acme EU", "https://eu.acme.example/v1"), (_catalog.Find("acme-gateway")!.Provider.Name, _catalog.Find("acme-gateway")!.Provider.DefaultEndpoint));
        var backup = Assert.Single(Directory.GetFiles(BackupDir));
        Assert.Equal("https://gateway.acme.example/v1", CatalogFiles.Parse(File.ReadAllBytes(backup)).DefaultEndpoint);

        _world.Service.Undo(edited.Id);
        Assert.Equal(("Acme Gateway", "https://gateway.acme.example/v1"), (_catalog.Find("acme-gateway")!.Provider.Name, _catalog.Find("acme-gateway")!.Provider.DefaultEndpoint));
        Assert.Equal("https://gateway.acme.example/v1", CatalogFiles.Parse(File.ReadAllBytes(Path.Combine(UserDir, "acme-gateway.json"))).DefaultEndpoint);
        Assert.Equal(2, Directory.GetFiles(BackupDir).Length);
    }

    [Fact]
    public void ChangingTheProviderId_MovesTheFile_TheOldOneBackedUp()
    {
        var record = Create();

        _world.Service.Update(new CodexChange { Id = record.Id, Version = record.Version, Fields = new() { [CatalogRecords.ProviderId] = "acme-two" } });

        Assert.Null(_catalog.Find("acme-gateway"));
        Assert.NotNull(_catalog.Find("acme-two"));
        Assert.Equal(["acme-two.json"], Directory.GetFiles(UserDir).Select(Path.GetFileName));
        Assert.StartsWith("acme-gateway.", Path.GetFileName(Assert.Single(Directory.GetFiles(BackupDir))), StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_RemovesTheFile_BackedUp_AndUndoBringsItBack()
    {
        var record = Create();

        _world.Service.Delete(record.Id);
        Assert.Null(_catalog.Find("acme-gateway"));
        Assert.False(File.Exists(Path.Combine(UserDir, "acme-gateway.json")));
        Assert.Single(Directory.GetFiles(BackupDir));

        _world.Service.Undo(record.Id);
        Assert.Equal("Acme Gateway", _catalog.Find("acme-gateway")!.Provider.Name);
    }

    [Fact]
    public void UndoOfTheCreate_RemovesTheProvider()
    {
        var record = Create();

        _world.Service.Undo(record.Id);

        Assert.Null(_catalog.Find("acme-gateway"));
    }

    [Fact]
    public void DeletingAnOverride_BringsTheShippedProviderBack()
    {
        var shipped = _catalog.Find("openai")!.Provider.Name;
        var record = Create("My OpenAI", Gateway("openai"));
        Assert.Equal("My OpenAI", _catalog.Find("openai")!.Provider.Name);

        _world.Service.Delete(record.Id);

        Assert.Equal((CatalogOrigin.Shipped, shipped), (_catalog.Find("openai")!.Origin, _catalog.Find("openai")!.Provider.Name));
    }

    [Fact]
    public void TheCatalogRules_AreMetAtSave_EachBesideItsField_AndNothingIsWritten()
    {
        Directory.CreateDirectory(UserDir);
        File.WriteAllText(Path.Combine(UserDir, "mine.json"), CatalogFiles.Serialize(CatalogSamples.Provider("mine", "Mine")));
        var fields = Gateway("mine");
        fields[CatalogRecords.DefaultModel] = "no-such-model";

        var e = Assert.Throws<RpcException>(() => Create(fields: fields));

        Assert.Equal(ErrorCodes.InvalidParams, e.Code);
        Assert.Contains("provider_id: 'mine' is already a catalog provider of yours", e.Message, StringComparison.Ordinal);
        Assert.Contains("default_model: Default model: 'no-such-model' is not one of the provider's models", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("defaultLargeModelId", e.Message, StringComparison.Ordinal);
        Assert.Equal(["mine.json"], Directory.GetFiles(UserDir).Select(Path.GetFileName));
        Assert.Empty(_world.Service.List(new CodexQuery { TemplateIds = [CatalogRecords.TemplateId] }).Items);
    }

    [Fact]
    public void ABrokenFile_IsAProblemWithItsLine_AndTheOthersLoad()
    {
        Directory.CreateDirectory(UserDir);
        File.WriteAllText(Path.Combine(UserDir, "broken.json"), "{\n  \"id\": \"broken\",\n  \"models\": [,]\n}\n");
        Create();

        var problem = Assert.Single(_catalog.FileProblems);

        Assert.Equal((Path.Combine(UserDir, "broken.json"), 3, "error"), (problem.File, problem.Line, problem.Severity));
        Assert.NotNull(_catalog.Find("acme-gateway"));
    }

    [Fact]
    public void Backups_KeepTheLatestOnly()
    {
        var record = Create();
        for (var i = 0; i < CatalogBackups.Kept + 3; i++)
        {
            record = _world.Service.Update(new CodexChange { Id = record.Id, Version = record.Version, Title = $"Acme {i}" });
        }

        Assert.Equal(CatalogBackups.Kept, Directory.GetFiles(BackupDir).Length);
    }
}
