using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Catalog;

/// <summary>Loading shipped and user files from real folders: overrides by id, broken files, laziness.</summary>
public sealed class CatalogStoreTests : IDisposable
{
    private readonly TempDir _shipped = new();
    private readonly TempDir _home = new();

    public CatalogStoreTests()
    {
        Write(_shipped.Path, "alpha.json", CatalogSamples.Provider("alpha", "Alpha"));
        Write(_shipped.Path, "beta.json", CatalogSamples.Provider("beta", "Beta"));
    }

    private string UserDir => Path.Combine(_home.Path, "catalog");

    private CatalogStore NewStore() => new(_shipped.Path, () => UserDir, NullLogger<CatalogStore>.Instance);

    private static void Write(string dir, string name, CatalogProvider provider) => WriteText(dir, name, CatalogFiles.Serialize(provider));

    private static void WriteText(string dir, string name, string text)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name), text);
    }

    [Fact]
    public void List_ShippedOnly_SortedByIdAndMarkedShipped()
    {
        var entries = NewStore().List();
        Assert.Equal(["alpha", "beta"], entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Equal(CatalogOrigin.Shipped, e.Origin));
    }

    [Fact]
    public void UserFiles_AddProviders_AndOverrideShippedById()
    {
        Write(UserDir, "mine.json", CatalogSamples.Provider("gamma", "My gamma"));
        Write(UserDir, "beta-override.json", CatalogSamples.Provider("beta", "My beta"));

        var store = NewStore();

        Assert.Equal(["alpha", "beta", "gamma"], store.List().Select(e => e.Id));
        Assert.Equal("My beta", store.Find("beta")!.Provider.Name);
        Assert.Equal(CatalogOrigin.User, store.Find("beta")!.Origin);
        Assert.Equal(CatalogOrigin.Shipped, store.Find("alpha")!.Origin);
        Assert.Equal(CatalogOrigin.User, store.Find("gamma")!.Origin);
        Assert.Empty(store.Problems);
    }

    [Fact]
    public void AUserFileCutOffOrOfTheWrongKind_IsTold_InTheUsersWords_WithLineAndColumn()
    {
        WriteText(UserDir, "cut.json", "{ \"id\": \"cut\", \"name\": \"Cut\", \"type\": \"openai\",\n  \"models\": [ { \"id\": \"m\"");
        WriteText(UserDir, "wrong.json", "{ \"id\": \"wrong\", \"name\": \"Wrong\", \"type\": \"openai\",\n  \"models\": [ { \"id\": \"m\", \"name\": \"M\", \"contextWindow\": \"200k\" } ] }");

        var problems = NewStore().FileProblems.ToDictionary(p => Path.GetFileName(p.File));

        Assert.Equal("the file ends early at line 2: an object, a list or a quoted text is not closed; close it, or copy or export the whole file again", problems["cut.json"].Message);
        Assert.Equal(2, problems["cut.json"].Line);
        Assert.Equal("models[0].contextWindow must be a whole number", problems["wrong.json"].Message);
        Assert.Equal((2, 64), (problems["wrong.json"].Line, problems["wrong.json"].Column));
        Assert.All(problems.Values, p => Assert.DoesNotMatch("Plue\\.Protocol|Path: \\$|depth to be zero|could not be converted", p.Message));
    }

    [Fact]
    public void BrokenUserFiles_AreReportedWithPathAndReason_AndTheRestLoads()
    {
        WriteText(UserDir, "a-truncated.json", """{"id": "x", "name": """);
        Write(UserDir, "b-invalid.json", CatalogSamples.Provider("bad", "Bad") with { DefaultEndpoint = "ftp://example.com" });
        Write(UserDir, "c-good.json", CatalogSamples.Provider("good", "Good"));
        Write(UserDir, "d-same-id.json", CatalogSamples.Provider("good", "Good again"));
        WriteText(UserDir, "e-not-object.json", "null");

        var store = NewStore();

        Assert.Equal(["alpha", "beta", "good"], store.List().Select(e => e.Id));
        Assert.Equal("Good", store.Find("good")!.Provider.Name);
        Assert.Equal(4, store.Problems.Count);
        Assert.StartsWith(Path.Combine(UserDir, "a-truncated.json") + ": ", store.Problems[0]);
        Assert.Contains(Path.Combine(UserDir, "b-invalid.json") + ": defaultEndpoint: 'ftp://example.com' is not an absolute http or https URL", store.Problems);
        Assert.Contains(store.Problems, p => p.StartsWith(Path.Combine(UserDir, "d-same-id.json"), StringComparison.Ordinal) && p.Contains("already defined", StringComparison.Ordinal));
        Assert.Contains(store.Problems, p => p.StartsWith(Path.Combine(UserDir, "e-not-object.json"), StringComparison.Ordinal));
    }

    [Fact]
    public void Store_ReadsNothingUntilFirstUse()
    {
        var asked = 0;
        var store = new CatalogStore(_shipped.Path, () => { asked++; return UserDir; }, NullLogger<CatalogStore>.Instance);
        Assert.Equal(0, asked);
        Assert.Equal(TimeSpan.Zero, store.LoadTime);

        store.List();
        store.List();

        Assert.Equal(1, asked);
        Assert.True(store.LoadTime > TimeSpan.Zero);
    }

    [Fact]
    public void ShippedFilesReadEarly_TheUserFolderIsStillReadAtFirstUse_SoAFileWrittenInBetweenIsSeen()
    {
        var asked = 0;
        var store = new CatalogStore(_shipped.Path, () => { asked++; return UserDir; }, NullLogger<CatalogStore>.Instance);

        store.ReadShippedFiles();
        Assert.True(store.ShippedFilesRead);
        Assert.Equal(0, asked);
        Write(UserDir, "mine.json", CatalogSamples.Provider("gamma", "My gamma"));
        // A shipped file changed after the early read is not read again: they never change while the sidecar runs.
        Write(_shipped.Path, "alpha.json", CatalogSamples.Provider("alpha", "Alpha renamed"));

        Assert.Equal(["alpha", "beta", "gamma"], store.List().Select(p => p.Id));
        Assert.Equal("My gamma", store.Find("gamma")!.Summary.Name);
        Assert.Equal("Alpha", store.Find("alpha")!.Summary.Name);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void AFileAddedChangedOrRemovedByHand_AfterTheLoad_IsSeenAtTheNextList()
    {
        var store = NewStore();
        Assert.Equal(["alpha", "beta"], store.List().Select(p => p.Id));

        Write(UserDir, "mine.json", CatalogSamples.Provider("gamma", "My gamma"));
        Assert.Equal(["alpha", "beta", "gamma"], store.List().Select(p => p.Id));
        Assert.Equal("My gamma", store.Find("gamma")!.Summary.Name);

        // Changed in place, as an editor saves it: the folder's listing is the same, the file's size and time are not.
        Write(UserDir, "mine.json", CatalogSamples.Provider("gamma", "My gamma, renamed"));
        File.SetLastWriteTimeUtc(Path.Combine(UserDir, "mine.json"), DateTime.UtcNow.AddSeconds(5));
        store.List();
        Assert.Equal("My gamma, renamed", store.Find("gamma")!.Summary.Name);

        File.Delete(Path.Combine(UserDir, "mine.json"));
        Assert.Equal(["alpha", "beta"], store.List().Select(p => p.Id));
    }

    [Fact]
    public void AFileWrittenByHand_IsNotLookedForOnALookupById_OnlyWhenTheWholeCatalogIsAskedFor()
    {
        var store = NewStore();
        store.List();
        Write(UserDir, "mine.json", CatalogSamples.Provider("gamma", "My gamma"));

        Assert.Null(store.Find("gamma"));
        store.List();
        Assert.NotNull(store.Find("gamma"));
    }

    [Fact]
    public void MissingFolders_GiveAnEmptyCatalog()
    {
        var store = new CatalogStore(Path.Combine(_home.Path, "nothing"), () => Path.Combine(_home.Path, "none"), NullLogger<CatalogStore>.Instance);
        Assert.Empty(store.List());
        Assert.Empty(store.Problems);
    }

    [Fact]
    public void ShippedCatalogBesideTheSidecar_LoadsWithoutProblems()
    {
        var store = new CatalogStore(CatalogStore.ShippedDirectory, () => UserDir, NullLogger<CatalogStore>.Instance);
        Assert.Equal(47, store.List().Count);
        Assert.Empty(store.Problems);
        Assert.Empty(store.Find("ollama")!.Provider.Models);
    }

    [Fact]
    public void ShippedHeaders_SayWhatTheFullParseSays()
    {
        // catalog/list reads only each shipped file's header; it must agree with the whole file.
        var store = new CatalogStore(CatalogStore.ShippedDirectory, () => UserDir, NullLogger<CatalogStore>.Instance);
        foreach (var entry in store.List())
        {
            var full = new CatalogEntry(CatalogFiles.Parse(File.ReadAllBytes(entry.Path)), CatalogOrigin.Shipped, entry.Path);
            Assert.Equal(full.Summary, entry.Summary);
            Assert.Equal(entry.Summary.ModelCount, entry.Provider.Models.Count);
        }
    }

    [Fact]
    public void BrokenShippedFile_IsReported_AndTheRestLoads()
    {
        WriteText(_shipped.Path, "broken.json", """{"id": "broken", "name": "Broken", "type": "openai-compatible"}""");
        WriteText(_shipped.Path, "not-json.json", "<html>");

        var store = NewStore();

        Assert.Equal(["alpha", "beta"], store.List().Select(e => e.Id));
        Assert.Equal(2, store.Problems.Count);
        Assert.Contains(Path.Combine(_shipped.Path, "broken.json") + ": missing 'models'", store.Problems);
    }

    public void Dispose()
    {
        _shipped.Dispose();
        _home.Dispose();
    }
}
