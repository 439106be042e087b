using System.Text;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Tests.Instances;

/// <summary>Provider instances over real codices, catalog and vault; keys only ever in the vault or the environment.</summary>
public sealed class InstanceServiceTests : IDisposable
{
    private const string Secret = "sk-instance-RECOGNIZABLE-42";
    private readonly InstanceWorld _world = new();

    public void Dispose() => _world.Dispose();

    private ProviderInstance Create(string name = "Work OpenAI", string provider = "openai", string? apiKey = Secret, ModelFilter? filter = null) =>
        _world.Service.Create(new CreateInstanceParams { DisplayName = name, CatalogProviderId = provider, ApiKey = apiKey, ModelFilter = filter });

    private static RpcException Throws(int code, Action action)
    {
        var e = Assert.Throws<RpcException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    [Fact]
    public void Create_WithApiKey_StoresItInTheVault_AndTheRecordKeepsOnlyTheRef()
    {
        var instance = Create();

        Assert.Equal("work-openai", instance.Slug);
        Assert.Equal("codex://providers/work-openai", instance.Ref);
        Assert.Equal("vault://openai/work-openai", instance.ApiKeyRef);
        Assert.True(instance.HasKey);
        Assert.Equal("openai", instance.ProviderType);
        Assert.Equal("https://api.openai.com/v1", instance.Endpoint);
        Assert.Null(instance.EndpointOverride);
        Assert.Equal(120000, instance.TimeoutMs);
        Assert.Equal(3, instance.Retry.MaxAttempts);
        Assert.True(instance.Enabled);
        Assert.Equal(Secret, _world.Vault.Resolve("vault://openai/work-openai"));
        var record = _world.Codex.Service.Get(instance.Id);
        Assert.DoesNotContain(Secret, record.Fields.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, record.Version);
    }

    [Fact]
    public void Credential_AuthToken_IsKeptOnTheRecordAndReachesTheConnection_AndAnUpdateCanTurnItBack()
    {
        var instance = _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Gateway", CatalogProviderId = "anthropic", ApiKey = Secret, Credential = CredentialKind.AuthToken,
        });

        Assert.Equal(CredentialKind.AuthToken, instance.Credential);
        Assert.Equal("auth_token", (string?)_world.Codex.Service.Get(instance.Id).Fields["credential"]);
        Assert.Equal((CredentialKind.AuthToken, Secret), (_world.Resolver.Resolve(instance.Id).Credential, _world.Resolver.Resolve(instance.Id).ApiKey));
        Assert.Equal(CredentialKind.ApiKey, Create("Plain").Credential);

        var updated = _world.Service.Update(new UpdateInstanceParams { Id = instance.Id, Version = instance.Version, Credential = CredentialKind.ApiKey });
        Assert.Equal(CredentialKind.ApiKey, updated.Credential);
        Assert.Equal(CredentialKind.ApiKey, _world.Resolver.Resolve(instance.Id).Credential);
    }

    [Fact]
    public void Azure_WithoutEndpoint_CannotBeUsedAndSaysWhatToSet_WithOne_ItsDeploymentsAndVersionReachTheConnection()
    {
        var bare = Create("Azure bare", "azure");
        var refused = Assert.Throws<RpcException>(() => _world.Resolver.Resolve(bare.Id));
        Assert.Contains("https://<resource>.openai.azure.com", refused.Message, StringComparison.Ordinal);

        var azure = _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Azure prod", CatalogProviderId = "azure", ApiKey = Secret, Endpoint = "https://contoso.openai.azure.com",
            ApiVersion = "2025-04-01-preview", Deployments = new Dictionary<string, string> { ["gpt-5"] = "prod-gpt5" },
        });
        Assert.Equal(["gpt-5=prod-gpt5"], _world.Codex.Service.Get(azure.Id).Fields["deployments"]!.AsArray().Select(n => (string?)n));
        var connection = _world.Resolver.Resolve(azure.Id);
        Assert.Equal(("2025-04-01-preview", "prod-gpt5"), (connection.ApiVersion, connection.Deployments["gpt-5"]));

        Throws(ErrorCodes.InvalidParams, () => _world.Service.Update(new UpdateInstanceParams
        {
            Id = azure.Id, Version = azure.Version, Deployments = new Dictionary<string, string> { ["gpt-5"] = " " },
        }));
        var cleared = _world.Service.Update(new UpdateInstanceParams { Id = azure.Id, Version = azure.Version, Deployments = new Dictionary<string, string>(), ApiVersion = "" });
        Assert.Equal((null, null), (cleared.Deployments, cleared.ApiVersion));
    }

    [Fact]
    public void Create_UnknownCatalogProvider_InvalidParams_AndNothingStored()
    {
        var e = Throws(ErrorCodes.InvalidParams, () => Create(provider: "no-such-provider"));
        Assert.Contains("no-such-provider", e.Message, StringComparison.Ordinal);
        Assert.Empty(_world.Vault.List());
        Assert.Empty(_world.Service.List());
    }

    [Fact]
    public void Create_RefusedRecord_TakesItsKeyOutOfTheVaultAgain()
    {
        Throws(ErrorCodes.InvalidParams, () => _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Bad", CatalogProviderId = "openai", ApiKey = Secret, TimeoutMs = 5,
        }));
        Assert.Empty(_world.Vault.List());
    }

    [Theory]
    [InlineData("sk-one\nsk-two", "a line break")]
    [InlineData("sk-\0binary", "a NUL byte")]
    [InlineData("sk-\uFFFD\uFFFD", "bytes that are not UTF-8 text")]
    [InlineData("sk-zero\u200Bwidth", "U+200B")]
    [InlineData(" ", "is empty")]
    public void Create_KeyThatIsNotPrintableText_RefusedNamingTheInstance_AndNothingStored(string key, string why)
    {
        var e = Throws(ErrorCodes.InvalidParams, () => Create(name: "Work OpenAI", apiKey: key));

        Assert.StartsWith("The API key of 'Work OpenAI' ", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was saved", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("endpoint", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_world.Vault.List());
        Assert.Empty(_world.Service.List());
    }

    [Fact]
    public void Update_KeyOf4KBOfBinary_RefusedNamingTheInstance_AndThePreviousKeyStays()
    {
        var instance = Create(name: "Work OpenAI");
        var binary = System.Text.Encoding.UTF8.GetString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096));

        var e = Throws(ErrorCodes.InvalidParams, () => _world.Service.Update(new UpdateInstanceParams { Id = instance.Id, Version = instance.Version, ApiKey = binary }));

        Assert.StartsWith("The API key of 'Work OpenAI' is ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"more than the {SecretText.MaxKeyLength}", e.Message, StringComparison.Ordinal);
        Assert.Equal(Secret, _world.Resolver.Resolve(instance.Id).ApiKey);
        Assert.Equal(instance.Version, _world.Service.Get(instance.Id).Version);
    }

    [Fact]
    public void Create_KeyOfTheLongestLength_IsKept()
    {
        var key = "sk-" + new string('a', SecretText.MaxKeyLength - 3);
        var instance = Create(apiKey: key);
        Assert.Equal(key, _world.Resolver.Resolve(instance.Id).ApiKey);
    }

    [Fact]
    public void Create_ServiceAccountJsonOverSeveralLines_IsKept()
    {
        // A Google service account (or AWS keys as JSON) is the instance's credential: longer than a key, with line breaks.
        var json = "{\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" + new string('A', 1700) + "\\n-----END PRIVATE KEY-----\\n\"\n}";
        var instance = Create(apiKey: json);
        Assert.Equal(json, _world.Resolver.Resolve(instance.Id).ApiKey);
    }

    [Fact]
    public void Create_KeyAndRef_InvalidParams()
    {
        Throws(ErrorCodes.InvalidParams, () => _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Both", CatalogProviderId = "openai", ApiKey = Secret, ApiKeyRef = "vault://openai/shared",
        }));
    }

    [Fact]
    public void Create_WithSharedRef_HasKeyFollowsTheVault()
    {
        var instance = _world.Service.Create(new CreateInstanceParams { DisplayName = "Shared", CatalogProviderId = "anthropic", ApiKeyRef = "vault://anthropic/team" });
        Assert.False(instance.HasKey);

        _world.Vault.Store("vault://anthropic/team", Secret);
        Assert.True(_world.Service.Get(instance.Id).HasKey);
        Assert.Equal(Secret, _world.Resolver.Resolve(instance.Id).ApiKey);
    }

    [Fact]
    public void Update_ChangesFields_ClearsWithEmptyString_AndChecksTheVersion()
    {
        var created = _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Proxy", CatalogProviderId = "openai", Endpoint = "https://proxy.example/v1", ApiKey = Secret,
        });
        Assert.Equal("https://proxy.example/v1", created.Endpoint);

        var updated = _world.Service.Update(new UpdateInstanceParams
        {
            Id = created.Id, Version = created.Version, DisplayName = "Direct", Endpoint = "", TimeoutMs = 30000,
            Retry = new RetryPolicy { MaxAttempts = 0 }, DefaultModel = "gpt-4o",
        });
        Assert.Equal("Direct", updated.DisplayName);
        Assert.Equal("https://api.openai.com/v1", updated.Endpoint);
        Assert.Null(updated.EndpointOverride);
        Assert.Equal(30000, updated.TimeoutMs);
        Assert.Equal(0, updated.Retry.MaxAttempts);
        Assert.Equal(500, updated.Retry.BaseDelayMs);
        Assert.Equal("gpt-4o", updated.DefaultModel);
        Assert.Equal(2, updated.Version);
        Assert.True(updated.HasKey);

        Throws(PlueErrorCodes.Conflict, () => _world.Service.Update(new UpdateInstanceParams { Id = created.Id, Version = 1, TimeoutMs = 9000 }));
        Throws(PlueErrorCodes.Conflict, () => _world.Service.Update(new UpdateInstanceParams { Id = created.Id, Version = 1, ApiKey = "sk-stale" }));
        Assert.Equal(Secret, _world.Vault.Resolve(updated.ApiKeyRef!));
    }

    [Fact]
    public void Update_NewKey_ReplacesTheSecret_AndClearingTheRefDeletesTheOwnedEntry()
    {
        var created = Create();
        var rekeyed = _world.Service.Update(new UpdateInstanceParams { Id = created.Id, Version = created.Version, ApiKey = "sk-new" });
        Assert.Equal("sk-new", _world.Vault.Resolve("vault://openai/work-openai"));

        var cleared = _world.Service.Update(new UpdateInstanceParams { Id = created.Id, Version = rekeyed.Version, ApiKeyRef = "" });
        Assert.Null(cleared.ApiKeyRef);
        Assert.False(cleared.HasKey);
        Assert.Empty(_world.Vault.List());
    }

    [Fact]
    public void Update_RefusedWithNewKey_PutsThePreviousKeyBack()
    {
        var created = Create();
        Throws(ErrorCodes.InvalidParams, () => _world.Service.Update(new UpdateInstanceParams { Id = created.Id, Version = created.Version, ApiKey = "sk-new", TimeoutMs = 1 }));
        Assert.Equal(Secret, _world.Vault.Resolve("vault://openai/work-openai"));
    }

    [Fact]
    public void Delete_RemovesTheRecord_PutsItsOwnVaultEntryAsideForUndo_ButLeavesASharedOne()
    {
        var own = Create();
        _world.Vault.Store("vault://openai/shared", "shared-secret");
        var shared = _world.Service.Create(new CreateInstanceParams { DisplayName = "Team account", CatalogProviderId = "openai", ApiKeyRef = "vault://openai/shared" });

        _world.Service.Delete(own.Id);
        _world.Service.Delete(shared.Id);

        // The own key is out of its name (a new instance may take the slug) and kept for an undo only.
        Assert.Equal(["vault://openai/shared", $"vault://undo/{own.Id}"], _world.Vault.List());
        Assert.Empty(_world.Service.List());
        Throws(PlueErrorCodes.NotFound, () => _world.Service.Get(own.Id));
    }

    [Fact]
    public void Get_AnotherKindOfCodex_NotFound()
    {
        var task = _world.Codex.Service.Create(new Plue.Protocol.CodexDraft { TemplateId = "task", Title = "T", Fields = new() { ["goal"] = "g" } });
        Throws(PlueErrorCodes.NotFound, () => _world.Service.Get(task.Id));
        Throws(PlueErrorCodes.NotFound, () => _world.Service.Get("nope"));
    }

    [Fact]
    public void SetEnabled_TogglesAndBumpsTheVersion()
    {
        var created = Create();
        var disabled = _world.Service.SetEnabled(created.Id, false);
        Assert.False(disabled.Enabled);
        Assert.Equal(2, disabled.Version);
        Assert.Equal("the instance is disabled", _world.Service.Obstacle(created.Id));
        Assert.Equal(PlueErrorCodes.ProviderError, Assert.Throws<RpcException>(() => _world.Resolver.Resolve(created.Id)).Code);
    }

    [Fact]
    public void Obstacle_SaysWhatIsMissing_WithoutANetworkCall()
    {
        var noKey = Create("No key", apiKey: null);
        var ready = Create("Ready");
        var local = Create("Local", provider: "ollama", apiKey: null);
        var azure = Create("Azure", provider: "azure");
        var vercel = Create("Vercel", provider: "vercel");

        Assert.Contains("no API key", _world.Service.Obstacle(noKey.Id), StringComparison.Ordinal);
        Assert.Contains("no endpoint", _world.Service.Obstacle(azure.Id), StringComparison.Ordinal);
        Assert.Contains("not supported", _world.Service.Obstacle(vercel.Id), StringComparison.Ordinal);
        Assert.Null(_world.Service.Obstacle(ready.Id));
        Assert.Null(_world.Service.Obstacle(local.Id));
    }

    [Fact]
    public void Models_AppliesTheFilter()
    {
        var all = _world.Catalog.Find("anthropic")!.Provider.Models;
        var cheapest = all.Where(m => m.Prices?.Input is not null).Min(m => m.Prices!.Input!.Value);
        var instance = Create("Cheap", provider: "anthropic", filter: new ModelFilter { MaxInputPrice = cheapest, Deny = [all[0].Id] });

        var models = _world.Service.Models(instance.Id);

        Assert.NotEmpty(models);
        Assert.True(models.Count < all.Count);
        Assert.All(models, m => Assert.True(m.Prices?.Input is null || m.Prices.Input <= cheapest));
        Assert.DoesNotContain(models, m => m.Id == all[0].Id);
        Assert.Equal(cheapest, _world.Service.Get(instance.Id).ModelFilter.MaxInputPrice);
    }

    [Fact]
    public async Task TimeoutsAndRetries_AreTheTemplatesDefaults_TheUsersWhenItReplacesTheShipped()
    {
        _world.Environment["ANTHROPIC_API_KEY"] = Secret;
        var templates = _world.Codex.Templates;
        var shipped = templates.Registry.Find("llm-provider")!;
        int Default(Plue.Codex.Templates.TemplateDefinition template, string field) => int.Parse(template.Field(field)!.Default!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        void AllFrom(Plue.Codex.Templates.TemplateDefinition template, ProviderInstance instance)
        {
            Assert.Equal(Default(template, "timeout_ms"), instance.TimeoutMs);
            Assert.Equal(Default(template, "first_byte_timeout_ms"), instance.FirstByteTimeoutMs);
            Assert.Equal(Default(template, "stall_timeout_ms"), instance.StallTimeoutMs);
            Assert.Equal(Default(template, "answer_timeout_ms"), instance.AnswerTimeoutMs);
            Assert.Equal(Default(template, "retry_max_attempts"), instance.Retry.MaxAttempts);
            Assert.Equal(Default(template, "retry_base_delay_ms"), instance.Retry.BaseDelayMs);
        }
        // An instance from the environment has no record: every number is the template's default.
        AllFrom(shipped, Assert.Single(_world.Service.List()));

        // A user's llm-provider with other defaults: the instances take its, not a copy kept in the code.
        var text = File.ReadAllText(shipped.FilePath);
        Assert.Contains("default: 120000", text);
        templates.Write(templates.HomeTemplates, "llm-provider", text.Replace("default: 120000", "default: 99000").Replace("default: 500,", "default: 750,"));
        for (var i = 0; i < 100 && templates.Registry.Find("llm-provider")!.Source == "shipped"; i++) await Task.Delay(50);
        var mine = templates.Registry.Find("llm-provider")!;
        Assert.NotEqual("shipped", mine.Source);
        var instance = Assert.Single(_world.Service.List());
        Assert.Equal(99000, instance.TimeoutMs);
        Assert.Equal(750, instance.Retry.BaseDelayMs);
        AllFrom(mine, instance);
    }

    [Fact]
    public void EnvironmentKey_IsListedAsAReadyReadOnlyInstance_ReadAtCallTime()
    {
        _world.Environment["ANTHROPIC_API_KEY"] = Secret;
        var listed = Assert.Single(_world.Service.List());

        Assert.Equal("env:anthropic", listed.Id);
        // Its reference is what a chat's provider_ref names it by, as a stored instance's is.
        Assert.Equal("env:anthropic", listed.Ref);
        Assert.Equal(listed.Title, listed.DisplayName);
        Assert.True(listed.FromEnvironment);
        Assert.True(listed.HasKey);
        Assert.Equal("ANTHROPIC_API_KEY", listed.EnvVar);
        Assert.Null(listed.ApiKeyRef);
        Assert.Equal(Secret, _world.Resolver.Resolve("env:anthropic").ApiKey);
        _world.Environment["ANTHROPIC_API_KEY"] = "sk-changed";
        Assert.Equal("sk-changed", _world.Resolver.Resolve("env:anthropic").ApiKey);

        Throws(ErrorCodes.InvalidParams, () => _world.Service.SetEnabled("env:anthropic", false));
        Throws(ErrorCodes.InvalidParams, () => _world.Service.Delete("env:anthropic"));
        Assert.Empty(_world.Vault.List());
        _world.Environment.Remove("ANTHROPIC_API_KEY");
        Throws(PlueErrorCodes.NotFound, () => _world.Service.Get("env:anthropic"));
    }

    [Fact]
    public void Resolve_GivesTheBackendEverything_AndItsToStringHidesTheKey()
    {
        var instance = _world.Service.Create(new CreateInstanceParams
        {
            DisplayName = "Claude", CatalogProviderId = "anthropic", ApiKey = Secret, FirstByteTimeoutMs = 5000,
            Retry = new RetryPolicy { MaxAttempts = 5, BaseDelayMs = 250 },
        });

        var connection = _world.Resolver.Resolve(instance.Id);

        Assert.Equal(instance.Id, connection.InstanceId);
        Assert.Equal("anthropic", connection.ProviderType);
        Assert.Equal("anthropic", connection.CatalogProviderId);
        Assert.Equal("https://api.anthropic.com", connection.Endpoint);
        Assert.Equal(Secret, connection.ApiKey);
        Assert.Equal(5000, connection.FirstByteTimeoutMs);
        Assert.Equal(5, connection.MaxAttempts);
        Assert.Equal(250, connection.BaseDelayMs);
        Assert.DoesNotContain(Secret, connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoKeyWhereOneIsNeeded_ProviderError()
    {
        var instance = Create(apiKey: null);
        var e = Assert.Throws<RpcException>(() => _world.Resolver.Resolve(instance.Id));
        Assert.Equal(PlueErrorCodes.ProviderError, e.Code);
        Assert.Contains("no API key", e.Message, StringComparison.Ordinal);
        Assert.Null(_world.Resolver.Resolve(Create("Local", provider: "ollama", apiKey: null).Id).ApiKey);
    }

    [Fact]
    public void List_StillWorks_WhenTheVaultCannotBeOpened()
    {
        var created = Create();
        var path = Path.Combine(_world.Home, "vault.bin");
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);

        var listed = Assert.Single(_world.Service.List());
        Assert.Equal(created.Id, listed.Id);
        Assert.False(listed.HasKey);
    }

    [Fact]
    public void NoFileUnderHome_ButTheVault_HoldsTheKey()
    {
        Create();
        _world.Service.Update(new UpdateInstanceParams { Id = _world.Service.List()[0].Id, Version = 1, DisplayName = "Renamed" });

        var secret = Encoding.UTF8.GetBytes(Secret);
        foreach (var file in Directory.GetFiles(_world.Home, "*", SearchOption.AllDirectories))
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(secret) < 0, file);
    }
}
