using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Catalog;

/// <summary>Custom providers' files: written and deleted by the store (for their records), on real files, and their validation.</summary>
public sealed class CatalogCrudTests : IDisposable
{
    private readonly TempDir _shipped = new();
    private readonly TempDir _home = new();

    public CatalogCrudTests() => File.WriteAllText(Path.Combine(_shipped.Path, "alpha.json"), CatalogFiles.Serialize(CatalogSamples.Provider("alpha", "Alpha")));

    private string UserDir => Path.Combine(_home.Path, "catalog");

    private CatalogStore NewStore() => new(_shipped.Path, () => UserDir, NullLogger<CatalogStore>.Instance);

    [Fact]
    public void Put_WritesAPrivateUserFile_SeenNowAndAfterRestart()
    {
        var store = NewStore();
        var entry = store.Put(CatalogSamples.Provider("mine", "Mine"));

        var path = Path.Combine(UserDir, "mine.json");
        Assert.Equal(path, entry.Path);
        Assert.Equal(CatalogOrigin.User, store.Find("mine")!.Origin);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(UserDir));
        }
        Assert.Empty(Directory.GetFiles(UserDir, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(UserDir, ".*")));
        Assert.Equal("Mine", NewStore().Find("mine")!.Provider.Name);
    }

    [Fact]
    public void Validate_InvalidProvider_ListsEveryProblemAtOnce()
    {
        var bad = new CatalogProvider
        {
            Id = "Bad/Id",
            Name = "",
            Type = "gopher",
            DefaultEndpoint = "api.example.com/v1",
            DefaultSmallModelId = "nope",
            Models =
            [
                CatalogSamples.Model("m1", new ModelPrices { Input = -1, Output = 20_000, CacheRead = null, CacheWrite = 0.5 }),
                CatalogSamples.Model("m1"),
            ],
        };

        Assert.Equal(
        [
            "id: 'Bad/Id' must be 1-64 of lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
            "name: required",
            "type: 'gopher' is not one of anthropic, openai, openai-compatible, openrouter, ollama, claude-code, google, azure, google-vertex, bedrock, vscode-lm, acp-agent, vercel",
            "defaultEndpoint: 'api.example.com/v1' is not an absolute http or https URL",
            "models[0].prices.input: -1 is negative (use null for an unknown price)",
            "models[0].prices.output: 20000 USD per 1M tokens is more than 10,000; prices are per million tokens",
            "models[1].id: duplicate model id 'm1'",
            "defaultSmallModelId: 'nope' is not one of the provider's models",
        ], CatalogValidator.Validate(bad));
    }

    [Theory]
    [InlineData("ftp://example.com/v1")]
    [InlineData("/v1")]
    [InlineData("http://")]
    public void Validate_BadEndpoint_IsRefused(string endpoint) =>
        Assert.Equal([$"defaultEndpoint: '{endpoint}' is not an absolute http or https URL"],
            CatalogValidator.Validate(CatalogSamples.Provider("mine", "Mine") with { DefaultEndpoint = endpoint }));

    [Fact]
    public void Validate_NoModels_IsRefusedExceptForOllama()
    {
        Assert.Equal(["models: at least one model is needed (only types ollama and vscode-lm discover their models at run time)"],
            CatalogValidator.Validate(CatalogSamples.Provider("empty", "Empty") with { Models = [], DefaultLargeModelId = null }));

        var ollama = CatalogSamples.Provider("my-ollama", "Ollama on the GPU box") with
        {
            Type = ProviderTypes.Ollama, DefaultEndpoint = "http://gpu-box:11434", Models = [], DefaultLargeModelId = null,
        };
        Assert.Empty(CatalogValidator.Validate(ollama));

        // A custom endpoint of the user's own (no default endpoint either): its instances name the server, which lists the models.
        var custom = CatalogSamples.Provider("my-gateway", "My gateway") with { DefaultEndpoint = null, Models = [], DefaultLargeModelId = null };
        Assert.Empty(CatalogValidator.Validate(custom));
    }

    [Fact]
    public void PutShipped_WritesAnOverride_DeleteRestoresTheShippedOne()
    {
        var store = NewStore();
        var updated = store.Put(CatalogSamples.Provider("alpha", "Alpha via my proxy") with { DefaultEndpoint = "http://127.0.0.1:4000/v1" });
        Assert.Equal(CatalogOrigin.User, updated.Origin);
        Assert.Equal("Alpha via my proxy", NewStore().Find("alpha")!.Provider.Name);

        var restored = store.Delete("alpha");

        Assert.NotNull(restored);
        Assert.Equal(CatalogOrigin.Shipped, store.Find("alpha")!.Origin);
        Assert.Equal("Alpha", store.Find("alpha")!.Provider.Name);
        Assert.False(File.Exists(updated.Path));
    }

    [Fact]
    public void PutUser_ReplacesItsOwnFile_EvenUnderAnotherName()
    {
        Directory.CreateDirectory(UserDir);
        var handWritten = Path.Combine(UserDir, "hand-written.json");
        File.WriteAllText(handWritten, CatalogFiles.Serialize(CatalogSamples.Provider("mine", "Mine")));
        var store = NewStore();

        store.Put(CatalogSamples.Provider("mine", "Mine, renamed"));

        Assert.Equal(["hand-written.json"], Directory.GetFiles(UserDir).Select(Path.GetFileName));
        Assert.Equal("Mine, renamed", NewStore().Find("mine")!.Provider.Name);
    }

    [Fact]
    public void DeleteShipped_IsRefused_DeleteUser_RemovesIt_UnknownIds_AreNotFound()
    {
        var store = NewStore();
        var e = Assert.Throws<CatalogProblemsException>(() => store.Delete("alpha"));
        Assert.Equal(["id: 'alpha' is a shipped provider and cannot be deleted (only a user override of it can)"], e.Problems);

        store.Put(CatalogSamples.Provider("mine", "Mine"));
        Assert.Null(store.Delete("mine"));
        Assert.Null(store.Find("mine"));
        Assert.Null(NewStore().Find("mine"));

        Assert.Throws<KeyNotFoundException>(() => store.Delete("mine"));
    }

    public void Dispose()
    {
        _shipped.Dispose();
        _home.Dispose();
    }
}
