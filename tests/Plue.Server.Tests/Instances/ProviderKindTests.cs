using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Instances;

/// <summary>The llm-provider kind's identity and side effects: slugs under concurrency, the key it owns, the design notes' template.</summary>
public sealed class ProviderKindTests : IDisposable
{
    private const string Secret = "sk-kind-RECOGNIZABLE-9";
    private readonly InstanceWorld _world = new();

    public void Dispose() => _world.Dispose();

    private void UseDesignNotesTemplate() =>
        File.Copy(RepoPaths.Fixtures("templates", "design-notes", "llm-provider.json5"), Path.Combine(_world.Codex.Templates.HomeTemplates, "llm-provider.json5"));

    [Fact]
    public void SeedTemplateThroughEveryDoor_CodexCreate_AnEndpointForOpenAI_IsRefusedNotStoredAndDropped()
    {
        UseDesignNotesTemplate();

        // The template gives the endpoint to ollama alone: kept and ignored would send the calls to api.openai.com.
        var e = Assert.Throws<RpcException>(() => _world.Codex.Service.Create(new CodexDraft
        {
            TemplateId = "llm-provider", Title = "Proxy",
            Fields = new() { ["provider_type"] = "openai", ["model"] = "gpt-4o", ["endpoint"] = "http://127.0.0.1:9/v1" },
        }));
        var throughInstances = Assert.Throws<RpcException>(() => _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Proxy", CatalogProviderId = "openai", Endpoint = "http://127.0.0.1:9/v1", DefaultModel = "gpt-4o",
        }));

        Assert.Contains("endpoint: does not apply while provider_type is \"openai\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("provider_type is \"ollama\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("endpoint: does not apply while provider_type is \"openai\"", throughInstances.Message, StringComparison.Ordinal);
        Assert.Empty(_world.Service.List());
    }

    [Fact]
    public void SeedTemplateThroughEveryDoor_CodexCreate_OllamaWithItsEndpointAndAModelOutsideTheCatalog_ConnectsThere()
    {
        UseDesignNotesTemplate();
        const string endpoint = "http://127.0.0.1:9/v1";

        var record = _world.Codex.Service.Create(new CodexDraft
        {
            TemplateId = "llm-provider", Title = "Local",
            Fields = new() { ["provider_type"] = "ollama", ["model"] = "my-own-model:7b", ["endpoint"] = endpoint },
        });

        var instance = _world.Service.Get(record.Id);
        Assert.Equal((endpoint, "my-own-model:7b"), (instance.Endpoint, instance.DefaultModel));
        Assert.Equal(endpoint, _world.Resolver.Resolve(record.Id).Endpoint);
    }

    [Fact]
    public void BuiltInTemplate_OpenAIWithACustomEndpoint_KeepsTheEndpoint_AndTheConnectionGoesThere()
    {
        const string endpoint = "http://127.0.0.1:9/v1";

        var instance = _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Proxy", CatalogProviderId = "openai", Endpoint = endpoint, ApiKey = Secret, DefaultModel = "gpt-4o",
        });

        Assert.Equal(endpoint, instance.Endpoint);
        var connection = _world.Resolver.Resolve(instance.Id);
        Assert.Equal((endpoint, Secret), (connection.Endpoint, connection.ApiKey));
    }

    [Fact]
    public void DesignNotesTemplate_AFieldItsConditionDoesNotApply_RefusedNamingTheConditionAndWhereItIsWritten()
    {
        UseDesignNotesTemplate();

        // Bad input: the CLI path of an OpenAI instance is refused, not dropped, and nothing is stored.
        var e = Assert.Throws<RpcException>(() => _world.Codex.Service.Create(new CodexDraft
        {
            TemplateId = "llm-provider", Title = "Proxy",
            Fields = new() { ["provider_type"] = "openai", ["model"] = "gpt-4o", ["cli_path"] = "/usr/bin/claude" },
        }));

        Assert.Equal(ErrorCodes.InvalidParams, e.Code);
        Assert.Contains("cli_path: does not apply while provider_type is \"openai\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("provider_type is \"claude-code\"", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"llm-provider\.json5:3[89]\)", e.Message);
        Assert.Empty(_world.Service.List());
    }

    [Fact]
    public void Update_AStoredFieldTheChangeMakesInapplicable_IsDropped_AGivenOneRefused()
    {
        var azure = _world.Service.Create(new CreateInstanceParams { DisplayName = "Azure", CatalogProviderId = "azure", Endpoint = "https://c.openai.azure.com", ApiVersion = "2025-01-01" });

        var refused = Assert.Throws<RpcException>(() => _world.Codex.Service.Update(new CodexChange
        {
            Id = azure.Id, Version = azure.Version, Fields = new() { ["catalog_provider_id"] = "openai", ["api_version"] = "2025-02-02" },
        }));
        Assert.Contains("api_version: does not apply while catalog_provider_id is \"openai\"", refused.Message, StringComparison.Ordinal);

        // Changing the provider alone: the Azure-only version goes with it (the history keeps it).
        var moved = _world.Codex.Service.Update(new CodexChange { Id = azure.Id, Version = azure.Version, Fields = new() { ["catalog_provider_id"] = "openai" } });
        Assert.Null(moved.Fields["api_version"]);
    }

    [Fact]
    public void Delete_ThenUndo_BringsTheInstanceBackWithItsKey()
    {
        var instance = _world.Service.Create(new CreateInstanceParams { DisplayName = "Work", CatalogProviderId = "openai", ApiKey = Secret });

        _world.Service.Delete(instance.Id);
        Assert.False(_world.Vault.Has("vault://openai/work"));
        _world.Codex.Service.Undo(instance.Id);

        Assert.True(_world.Service.Get(instance.Id).HasKey);
        Assert.Equal(Secret, _world.Resolver.Resolve(instance.Id).ApiKey);
    }

    [Fact]
    public void UndoOfTheCreate_ParksTheKey_AndUndoingThatUndo_BringsTheInstanceAndKeyBack()
    {
        var instance = _world.Service.Create(new CreateInstanceParams { DisplayName = "Fresh", CatalogProviderId = "openai", ApiKey = Secret });

        Assert.Null(_world.Codex.Service.Undo(instance.Id));
        Assert.False(_world.Vault.Has("vault://openai/fresh"));
        Assert.True(_world.Vault.Has($"vault://undo/{instance.Id}"));
        var back = _world.Codex.Service.Undo(instance.Id);

        Assert.Equal("Fresh", back?.Title);
        Assert.False(_world.Vault.Has($"vault://undo/{instance.Id}"));
        Assert.Equal(Secret, _world.Resolver.Resolve(instance.Id).ApiKey);
    }

    [Fact]
    public void Delete_ThenANewInstanceWithTheSameName_GetsItsOwnKey_AndTheUndoneOneConflicts()
    {
        var first = _world.Service.Create(new CreateInstanceParams { DisplayName = "Work", CatalogProviderId = "openai", ApiKey = Secret });
        _world.Service.Delete(first.Id);
        var second = _world.Service.Create(new CreateInstanceParams { DisplayName = "Work", CatalogProviderId = "openai", ApiKey = "sk-second" });

        Assert.Equal("sk-second", _world.Resolver.Resolve(second.Id).ApiKey);
        var e = Assert.Throws<RpcException>(() => _world.Codex.Service.Undo(first.Id));
        Assert.Equal(PlueErrorCodes.Conflict, e.Code);
        Assert.Equal("sk-second", _world.Resolver.Resolve(second.Id).ApiKey);
    }

    [Fact]
    public async Task Create_FiftySameNameAtOnce_EveryInstanceKeepsItsOwnKey()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            (Key: $"sk-{i}", Instance: _world.Service.Create(new CreateInstanceParams { DisplayName = "Same name", CatalogProviderId = "openai", ApiKey = $"sk-{i}" })))));

        Assert.Equal(50, created.Select(c => c.Instance.Slug).Distinct().Count());
        Assert.All(created, c => Assert.Equal(c.Key, _world.Resolver.Resolve(c.Instance.Id).ApiKey));
    }

    [Fact]
    public void Slug_DotsTheUserTyped_AreKept()
    {
        var instance = _world.Service.Create(new CreateInstanceParams { DisplayName = "claude-4.5-sonnet", CatalogProviderId = "anthropic", ApiKey = Secret });

        Assert.Equal("codex://providers/claude-4.5-sonnet", instance.Ref);
        // A dot not between letters or digits is a separator like any other.
        Assert.Equal("v1.2-notes", Slugs.FromTitle("v1.2 notes…", "x"));
        Assert.Equal("a-b", Slugs.FromTitle("a..b", "x"));
        Assert.Equal("a-b", Slugs.FromTitle("a. b.", "x"));
        Assert.Equal("readme.md", Slugs.FromTitle(".README.md.", "x"));
    }

    [Fact]
    public void Create_ThreeRecordsWithTheSameLongTitle_EachGetsItsOwnSlug()
    {
        var title = new string('a', 40) + " " + new string('b', 37);

        var slugs = Enumerable.Range(0, 3).Select(_ => _world.Codex.Provider(title).Slug).ToList();

        Assert.Equal(3, slugs.Distinct().Count());
        Assert.All(slugs, s => Assert.True(Slugs.IsValid(s), s));
    }
}
