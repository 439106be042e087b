using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Catalog;

/// <summary>
/// A custom catalog has two doors, <c>codex/*</c> (the settings form) and <c>catalog/*</c> (a provider by its id):
/// one write path behind them, so the same change gets the same verdict through either, refused naming the same
/// record field, and leaves the same file. Each door runs in its own sidecar (the production host) and home.
/// </summary>
public sealed class CatalogDoorsTests : IAsyncLifetime
{
    private readonly Door _codex = new();
    private readonly Door _typed = new();

    public async Task InitializeAsync()
    {
        await _codex.StartAsync();
        await _typed.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _codex.DisposeAsync();
        await _typed.DisposeAsync();
    }

    /// <summary>One change as each door spells it; <c>Refused</c> names the record field the refusal must name (null: accepted).</summary>
    public sealed record DoorCase(string Name, string Id, string Title, JsonObject CodexFields, JsonObject Typed, string? Refused)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<DoorCase> Creates() =>
    [
        new("a valid provider", "acme", "Acme", Fields(), Provider(), null),
        new("a negative model price", "acme", "Acme",
            Fields(models: [RecordModel("m", price: -3)]), Provider(models: [WireModel("m", price: -3)]), "models"),
        new("a price above 10,000 USD per 1M tokens", "acme", "Acme",
            Fields(models: [RecordModel("m", price: 20_000)]), Provider(models: [WireModel("m", price: 20_000)]), "models"),
        new("a duplicate model id", "acme", "Acme",
            Fields(models: [RecordModel("m"), RecordModel("m")]), Provider(models: [WireModel("m"), WireModel("m")]), "models"),
        new("a missing name", "acme", "",
            Fields(), Provider(name: ""), "title"),
        new("a default model that is not among the models", "acme", "Acme",
            Fields(defaultModel: "nope"), Provider(defaultModel: "nope"), "default_model"),
        new("an endpoint that is not a URL", "acme", "Acme",
            Fields(endpoint: "localhost:8080"), Provider(endpoint: "localhost:8080"), "endpoint"),
        new("a type the template does not offer", "acme", "Acme",
            Fields(type: "gopher"), Provider(type: "gopher"), "provider_type"),
        new("an id that is not a slug", "Acme/Gateway", "Acme",
            Fields(id: "Acme/Gateway"), Provider(id: "Acme/Gateway"), "provider_id"),
        new("a shipped provider's id (an override)", "openrouter", "My OpenRouter",
            Fields(id: "openrouter", type: "openrouter"), Provider(id: "openrouter", name: "My OpenRouter", type: "openrouter"), null),
    ];

    [Theory]
    [MemberData(nameof(Creates))]
    public async Task Create_SameChangeThroughEitherDoor_SameVerdictAndFile(DoorCase change)
    {
        var viaCodex = await _codex.CallAsync("codex/create", new JsonObject { ["templateId"] = "catalog", ["title"] = change.Title, ["fields"] = change.CodexFields });
        var viaTyped = await _typed.CallAsync("catalog/create", change.Typed);

        await AssertSameOutcomeAsync(change, viaCodex, viaTyped);
    }

    public static TheoryData<DoorCase> Updates() =>
    [
        new("a new endpoint and price", "acme", "Acme EU",
            new() { ["endpoint"] = "https://eu.acme.example/v1", ["models"] = new JsonArray(RecordModel("acme-large", price: 3)) },
            Provider(name: "Acme EU", endpoint: "https://eu.acme.example/v1", models: [WireModel("acme-large", price: 3)]), null),
        new("the key variable left out", "acme", "Acme",
            new() { ["api_key_env"] = null },
            Provider(keyEnv: null), null),
        new("the endpoint left out (a served model needs one)", "acme", "Acme",
            new() { ["endpoint"] = null },
            Provider(endpoint: null), "endpoint"),
        new("a negative model price", "acme", "Acme",
            new() { ["models"] = new JsonArray(RecordModel("acme-large", price: -1)) },
            Provider(models: [WireModel("acme-large", price: -1)]), "models"),
        new("a duplicate model id", "acme", "Acme",
            new() { ["models"] = new JsonArray(RecordModel("m"), RecordModel("m")) },
            Provider(models: [WireModel("m"), WireModel("m")]), "models"),
        new("an empty name", "acme", "",
            new(), Provider(name: ""), "title"),
    ];

    [Theory]
    [MemberData(nameof(Updates))]
    public async Task Update_SameChangeThroughEitherDoor_SameVerdictAndFile(DoorCase change)
    {
        var record = (await _codex.CallAsync("codex/create", new JsonObject { ["templateId"] = "catalog", ["title"] = "Acme", ["fields"] = Fields() }))["result"]!;
        Assert.True((await _typed.CallAsync("catalog/create", Provider())).ContainsKey("result"));

        var viaCodex = await _codex.CallAsync("codex/update", new JsonObject
        {
            ["id"] = record["id"]!.DeepClone(), ["version"] = record["version"]!.DeepClone(), ["title"] = change.Title, ["fields"] = change.CodexFields,
        });
        var viaTyped = await _typed.CallAsync("catalog/update", change.Typed);

        await AssertSameOutcomeAsync(change, viaCodex, viaTyped, existedBefore: true);
    }

    [Fact]
    public async Task AnIdAnotherProviderOfYoursHas_IsRefusedByBoth_NamingProviderId()
    {
        await _codex.CallAsync("codex/create", new JsonObject { ["templateId"] = "catalog", ["title"] = "Acme", ["fields"] = Fields() });
        await _typed.CallAsync("catalog/create", Provider());
        var other = (await _codex.CallAsync("codex/create", new JsonObject { ["templateId"] = "catalog", ["title"] = "Other", ["fields"] = Fields(id: "other") }))["result"]!;
        await _typed.CallAsync("catalog/create", Provider(id: "other", name: "Other"));

        // Through codex: the other record renamed to acme; through catalog: acme made again.
        var viaCodex = await _codex.CallAsync("codex/update", new JsonObject
        {
            ["id"] = other["id"]!.DeepClone(), ["version"] = other["version"]!.DeepClone(), ["fields"] = new JsonObject { ["provider_id"] = "acme" },
        });
        var viaTyped = await _typed.CallAsync("catalog/create", Provider(name: "Acme again"));

        Assert.Equal(["provider_id"], RefusedFields(viaCodex));
        Assert.Equal(["provider_id"], RefusedFields(viaTyped));
        Assert.Equal(_codex.File("acme")?.ToJsonString(), _typed.File("acme")?.ToJsonString());
        Assert.Equal("Acme", _typed.File("acme")!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_OfAnOverride_ThroughEitherDoor_BringsTheShippedProviderBack_AndUndoRestoresIt()
    {
        var record = (await _codex.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "catalog", ["title"] = "My OpenRouter", ["fields"] = Fields(id: "openrouter", type: "openrouter"),
        }))["result"]!;
        await _typed.CallAsync("catalog/update", Provider(id: "openrouter", name: "My OpenRouter", type: "openrouter"));
        var typedRecord = Assert.Single(await _typed.RecordIdsAsync());

        Assert.True((await _codex.CallAsync("codex/delete", new JsonObject { ["id"] = record["id"]!.DeepClone() })).ContainsKey("result"));
        var deleted = (await _typed.CallAsync("catalog/delete", new JsonObject { ["id"] = "openrouter" }))["result"]!;

        Assert.Equal(("openrouter", "shipped"), (deleted["id"]!.GetValue<string>(), deleted["restored"]!["source"]!.GetValue<string>()));
        foreach (var door in (Door[])[_codex, _typed])
        {
            Assert.Null(door.File("openrouter"));
            Assert.Single(Directory.GetFiles(door.BackupDir));
            Assert.Equal("shipped", await door.SourceOfAsync("openrouter"));
        }

        // The typed door's delete is a record's delete: undo brings the override back, file and all.
        Assert.True((await _typed.CallAsync("codex/undo", new JsonObject { ["id"] = typedRecord })).ContainsKey("result"));
        Assert.Equal("My OpenRouter", _typed.File("openrouter")!["name"]!.GetValue<string>());
        Assert.Equal("user", await _typed.SourceOfAsync("openrouter"));
    }

    [Fact]
    public async Task Delete_OfAShippedProvider_IsRefusedNamingIt_AndNothingChanges()
    {
        var refused = (await _typed.CallAsync("catalog/delete", new JsonObject { ["id"] = "openrouter" }))["error"]!;

        // Through codex there is nothing to delete: no record stands for a shipped provider.
        Assert.Equal(ErrorCodes.InvalidParams, refused["code"]!.GetValue<int>());
        Assert.Equal("catalog/delete: id: 'openrouter' is a shipped provider and cannot be deleted (only a user override of it can)",
            refused["message"]!.GetValue<string>());
        Assert.Equal("shipped", await _typed.SourceOfAsync("openrouter"));
        Assert.Empty(await _typed.RecordIdsAsync());
    }

    [Fact]
    public async Task TypedChanges_AreTold_AsCodexChanged_AndUndoWalksThemBack()
    {
        var created = await _typed.CallAsync("catalog/create", Provider());
        var updated = await _typed.CallAsync("catalog/update", Provider(name: "Acme EU", endpoint: "https://eu.acme.example/v1"));

        // Told before the answer (once or, when the store's watcher sees it too, twice).
        Assert.Contains(created.Told, t => t["record"]!["title"]!.GetValue<string>() == "Acme");
        var told = updated.Told.Last();
        Assert.Equal(("catalog", "Acme EU", false), (told["kind"]!.GetValue<string>(), told["record"]!["title"]!.GetValue<string>(), told["deleted"]!.GetValue<bool>()));

        // Undo of the update writes the file back as it was; the file before the update is in backups.
        Assert.True((await _typed.CallAsync("codex/undo", new JsonObject { ["id"] = told["id"]!.DeepClone() })).ContainsKey("result"));
        Assert.Equal(("Acme", "https://gw.acme.example/v1"), (_typed.File("acme")!["name"]!.GetValue<string>(), _typed.File("acme")!["defaultEndpoint"]!.GetValue<string>()));
        Assert.Equal(2, Directory.GetFiles(_typed.BackupDir).Length);
    }

    [Fact]
    public async Task AHandWrittenFile_UpdatedByItsId_BecomesARecord_ItsFormerSelfBackedUp()
    {
        Directory.CreateDirectory(_typed.UserDir);
        var handWritten = Provider(name: "By hand");
        handWritten["source"] = "user";
        File.WriteAllText(Path.Combine(_typed.UserDir, "acme.json"), handWritten.ToJsonString());

        var refused = await _typed.CallAsync("catalog/update", Provider(name: "Acme", models: [WireModel("m", price: -1)]));
        Assert.Equal(["models"], RefusedFields(refused));
        Assert.Equal("By hand", _typed.File("acme")!["name"]!.GetValue<string>());

        Assert.True((await _typed.CallAsync("catalog/update", Provider(name: "Acme"))).ContainsKey("result"));
        Assert.Equal("Acme", _typed.File("acme")!["name"]!.GetValue<string>());
        Assert.Single(await _typed.RecordIdsAsync());
        Assert.Contains(Directory.GetFiles(_typed.BackupDir), b => File.ReadAllText(b).Contains("By hand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHandWrittenFile_PutThereAfterTheCatalogWasListed_IsInTheNextList()
    {
        var before = (await _typed.CallAsync("catalog/list", new JsonObject()))["result"]!.AsArray();
        Assert.DoesNotContain(before, p => p!["id"]!.GetValue<string>() == "acme");
        Directory.CreateDirectory(_typed.UserDir);
        var handWritten = Provider(name: "By hand");
        handWritten["source"] = "user";
        File.WriteAllText(Path.Combine(_typed.UserDir, "acme.json"), handWritten.ToJsonString());

        var after = (await _typed.CallAsync("catalog/list", new JsonObject()))["result"]!.AsArray();

        Assert.Equal("By hand", after.Single(p => p!["id"]!.GetValue<string>() == "acme")!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task MembersACatalogRecordCannotKeep_AreRefused_NotDropped()
    {
        var provider = Provider();
        provider["note"] = "Written by hand";
        provider["supported"] = false;

        var error = (await _typed.CallAsync("catalog/create", provider))["error"]!;

        Assert.Equal(ErrorCodes.InvalidParams, error["code"]!.GetValue<int>());
        Assert.Contains("note: a custom catalog keeps no such field", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("supported: a custom catalog keeps no such field", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(_typed.File("acme"));
    }

    [Fact]
    public async Task Create_ReasoningLevelsAndSmallModel_AreKeptInTheFile()
    {
        var provider = Provider(models: [WireModel("acme-large"), WireModel("acme-small")]);
        provider["models"]![0]!["canReason"] = true;
        provider["models"]![0]!["reasoningLevels"] = new JsonArray("low", "high");
        provider["models"]![0]!["defaultReasoningEffort"] = "high";
        provider["defaultSmallModelId"] = "acme-small";

        Assert.True((await _typed.CallAsync("catalog/create", provider)).ContainsKey("result"));

        var file = _typed.File("acme")!;
        Assert.Equal("acme-small", file["defaultSmallModelId"]!.GetValue<string>());
        Assert.Equal(["low", "high"], file["models"]![0]!["reasoningLevels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("high", file["models"]![0]!["defaultReasoningEffort"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_DefaultEffortNotAmongTheLevels_IsRefusedNamingModels_NothingWritten()
    {
        var provider = Provider();
        provider["models"]![0]!["canReason"] = true;
        provider["models"]![0]!["reasoningLevels"] = new JsonArray("low", "high");
        provider["models"]![0]!["defaultReasoningEffort"] = "max";

        var refused = await _typed.CallAsync("catalog/create", provider);

        Assert.Equal(["models"], RefusedFields(refused));
        Assert.Contains("'max' is not one of its reasoningLevels (low, high)", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(_typed.File("acme"));
    }

    [Fact]
    public async Task Import_RealCatwalkFile_KeepsReasoningLevelsAndSmallModel_ThroughExport()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "anthropic.json");
        System.IO.File.Copy(Path.Combine(RepoPaths.Catwalk, "anthropic.json"), path);
        var catwalk = JsonNode.Parse(System.IO.File.ReadAllText(path))!;
        var reasoning = catwalk["models"]!.AsArray().Where(m => m!["reasoning_levels"] is JsonArray { Count: > 0 }).ToList();
        Assert.NotEmpty(reasoning); // the file must hold what the test checks survives

        var imported = await _typed.CallAsync("catalog/import", new JsonObject { ["text"] = System.IO.File.ReadAllText(path), ["fileName"] = path });
        var id = imported["result"]!["id"]!.GetValue<string>();
        var plue = JsonNode.Parse((await _typed.CallAsync("catalog/export", new JsonObject { ["id"] = id }))["result"]!["text"]!.GetValue<string>())!;
        var back = JsonNode.Parse((await _typed.CallAsync("catalog/export", new JsonObject { ["id"] = id, ["format"] = "catwalk" }))["result"]!["text"]!.GetValue<string>())!;

        var small = catwalk["default_small_model_id"]!.GetValue<string>();
        Assert.Equal(small, imported["result"]!["fields"]!["small_model"]!.GetValue<string>());
        Assert.Equal(small, plue["defaultSmallModelId"]!.GetValue<string>());
        Assert.Equal(small, _typed.File("anthropic")!["defaultSmallModelId"]!.GetValue<string>());
        Assert.Equal(small, back["default_small_model_id"]!.GetValue<string>());
        foreach (var model in reasoning)
        {
            var modelId = model!["id"]!.GetValue<string>();
            var inPlue = plue["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == modelId)!;
            var inCatwalk = back["models"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == modelId)!;
            Assert.True(JsonNode.DeepEquals(model["reasoning_levels"], inPlue["reasoningLevels"]), modelId);
            Assert.True(JsonNode.DeepEquals(model["reasoning_levels"], inCatwalk["reasoning_levels"]), modelId);
            Assert.Equal(model["default_reasoning_effort"]?.GetValue<string>(), inPlue["defaultReasoningEffort"]?.GetValue<string>());
            Assert.Equal(model["default_reasoning_effort"]?.GetValue<string>(), inCatwalk["default_reasoning_effort"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task Import_FileAlreadyInTheUserCatalog_BecomesItsRecord_AndImportingItAgainGivesThatRecord()
    {
        Directory.CreateDirectory(_typed.UserDir);
        var path = Path.Combine(_typed.UserDir, "acme.json");
        System.IO.File.WriteAllText(path, Provider().ToJsonString());

        var adopted = await _typed.CallAsync("catalog/import", new JsonObject { ["text"] = System.IO.File.ReadAllText(path), ["fileName"] = path });
        Assert.True(adopted.ContainsKey("result"), adopted.Message.ToJsonString());
        var record = adopted["result"]!;
        Assert.Equal("Acme", record["title"]!.GetValue<string>());
        Assert.StartsWith("codex:", _typed.File("acme", withSource: true)!["source"]!.GetValue<string>(), StringComparison.Ordinal);

        // The file the record wrote, imported again: the same record, unchanged.
        var again = await _typed.CallAsync("catalog/import", new JsonObject { ["text"] = System.IO.File.ReadAllText(path), ["fileName"] = path });
        Assert.Equal(record["id"]!.GetValue<string>(), again["result"]!["id"]!.GetValue<string>());
        Assert.Equal(record["version"]!.GetValue<long>(), again["result"]!["version"]!.GetValue<long>());
        Assert.Equal([record["id"]!.GetValue<string>()], await _typed.RecordIdsAsync());
    }

    [Fact]
    public async Task Import_OtherProviderUnderAnIdOfYours_IsRefusedNamingTheCatalog_NothingChanged()
    {
        var made = await _typed.CallAsync("catalog/create", Provider());
        Assert.True(made.ContainsKey("result"));
        var before = _typed.File("acme", withSource: true)!.ToJsonString();

        var refused = await _typed.CallAsync("catalog/import", new JsonObject { ["text"] = Provider(name: "Other Acme").ToJsonString(), ["fileName"] = "/tmp/acme.json" });

        Assert.Equal(ErrorCodes.InvalidParams, refused["error"]!["code"]!.GetValue<int>());
        Assert.Contains("acme.json is provider 'acme', which is already your catalog 'Acme'", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, _typed.File("acme", withSource: true)!.ToJsonString());
        Assert.Single(await _typed.RecordIdsAsync());
    }

    [Fact]
    public async Task Import_OtherProviderUnderAHandWrittenFilesId_IsRefusedNamingTheFile_FileKept()
    {
        Directory.CreateDirectory(_typed.UserDir);
        var path = Path.Combine(_typed.UserDir, "acme.json");
        System.IO.File.WriteAllText(path, Provider(name: "By hand").ToJsonString());

        var refused = await _typed.CallAsync("catalog/import", new JsonObject { ["text"] = Provider().ToJsonString(), ["fileName"] = "elsewhere/acme.json" });

        Assert.Equal(ErrorCodes.InvalidParams, refused["error"]!["code"]!.GetValue<int>());
        Assert.Contains("which is already a file of your catalog", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("By hand", _typed.File("acme")!["name"]!.GetValue<string>());
        Assert.Empty(await _typed.RecordIdsAsync());
    }

    [Theory]
    [InlineData("note")]
    [InlineData("supported")]
    public async Task Import_MemberTheRecordHasNoFieldFor_IsRefusedAsCreateRefusesIt_NothingWritten(string member)
    {
        var provider = Provider();
        provider[member] = member == "note" ? JsonValue.Create("Needs care.") : JsonValue.Create(false);

        var viaCreate = await _codex.CallAsync("catalog/create", provider);
        var viaImport = await _typed.CallAsync("catalog/import", new JsonObject { ["text"] = provider.ToJsonString(), ["fileName"] = "/tmp/acme.json" });

        foreach (var (door, answer) in new[] { (_codex, viaCreate), (_typed, viaImport) })
        {
            Assert.True(answer["error"] is not null, $"accepted: {answer.Message.ToJsonString()}");
            Assert.Equal(ErrorCodes.InvalidParams, answer["error"]!["code"]!.GetValue<int>());
            Assert.Contains($"{member}: a custom catalog keeps no such field", answer["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(door.File("acme"));
            Assert.Empty(await door.RecordIdsAsync());
        }
        Assert.Contains("acme.json (provider 'acme')", viaImport["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task AssertSameOutcomeAsync(DoorCase change, Answer viaCodex, Answer viaTyped, bool existedBefore = false)
    {
        if (change.Refused is { } field)
        {
            // Bad input: -32602 naming the same record field through either door, and the file is as it was.
            Assert.Equal([field], RefusedFields(viaCodex));
            Assert.Equal([field], RefusedFields(viaTyped));
            Assert.Equal(existedBefore, _typed.File(change.Id) is not null);
            Assert.Equal(existedBefore ? 1 : 0, (await _typed.RecordIdsAsync()).Count);
        }
        else
        {
            Assert.True(viaCodex.ContainsKey("result"), viaCodex.Message.ToJsonString());
            Assert.True(viaTyped.ContainsKey("result"), viaTyped.Message.ToJsonString());
            Assert.Single(await _typed.RecordIdsAsync());
            Assert.StartsWith("codex:", _typed.File(change.Id, withSource: true)!["source"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(_codex.File(change.Id)?.ToJsonString(), _typed.File(change.Id)?.ToJsonString());
    }

    /// <summary>The record fields a -32602 names (its <c>data.fields</c>).</summary>
    private static IReadOnlyList<string> RefusedFields(Answer answer)
    {
        var error = answer["error"];
        Assert.True(error is not null, $"accepted: {answer.Message.ToJsonString()}");
        Assert.Equal(ErrorCodes.InvalidParams, error["code"]!.GetValue<int>());
        return [.. (error["data"]?["fields"]?.AsObject() ?? []).Select(f => f.Key)];
    }

    private static JsonObject Fields(string id = "acme", string type = "openai-compatible", string? endpoint = "https://gw.acme.example/v1",
        string? defaultModel = null, JsonObject[]? models = null)
    {
        var fields = new JsonObject
        {
            ["provider_id"] = id, ["provider_type"] = type, ["api_key_env"] = "ACME_API_KEY",
            ["models"] = new JsonArray([.. models ?? [RecordModel("acme-large")]]),
        };
        if (endpoint is not null) fields["endpoint"] = endpoint;
        if (defaultModel is not null) fields["default_model"] = defaultModel;
        return fields;
    }

    private static JsonObject Provider(string id = "acme", string name = "Acme", string type = "openai-compatible",
        string? endpoint = "https://gw.acme.example/v1", string? keyEnv = "ACME_API_KEY", string? defaultModel = null, JsonObject[]? models = null)
    {
        var provider = new JsonObject { ["id"] = id, ["name"] = name, ["type"] = type, ["models"] = new JsonArray([.. models ?? [WireModel("acme-large")]]) };
        if (endpoint is not null) provider["defaultEndpoint"] = endpoint;
        if (keyEnv is not null) provider["apiKeyEnv"] = keyEnv;
        if (defaultModel is not null) provider["defaultLargeModelId"] = defaultModel;
        return provider;
    }

    private static JsonObject RecordModel(string id, double price = 2) =>
        new() { ["id"] = id, ["name"] = "Acme Large", ["context_window"] = 200_000, ["input_price"] = price, ["output_price"] = 8 };

    private static JsonObject WireModel(string id, double price = 2) => new()
    {
        ["id"] = id, ["name"] = "Acme Large", ["contextWindow"] = 200_000,
        ["prices"] = new JsonObject { ["input"] = price, ["output"] = 8, ["cacheRead"] = null, ["cacheWrite"] = null },
    };

    /// <summary>An answer and the <c>codex/changed</c> notifications sent before it.</summary>
    private sealed record Answer(JsonObject Message, IReadOnlyList<JsonObject> Told)
    {
        public JsonNode? this[string name] => Message[name];

        public bool ContainsKey(string name) => Message.ContainsKey(name);
    }

    /// <summary>One door's side: the production host on its own home.</summary>
    private sealed class Door : IAsyncDisposable
    {
        private readonly TempDir _home = new();
        private readonly InProcessSidecar _sidecar = new();
        private int _nextId;

        public string UserDir => Path.Combine(_home.Path, "catalog");

        public string BackupDir => Path.Combine(UserDir, "backups");

        public async Task StartAsync()
        {
            await _sidecar.StartAsync();
            await CallAsync("initialize", new JsonObject { ["initializationOptions"] = new JsonObject { ["plueHome"] = _home.Path } });
        }

        public async Task<Answer> CallAsync(string method, JsonNode @params)
        {
            var id = ++_nextId;
            await _sidecar.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = @params.DeepClone() }.ToJsonString());
            var told = new List<JsonObject>();
            while (true)
            {
                var message = await _sidecar.ReceiveAsync();
                if (message["id"]?.GetValue<int>() == id) return new Answer(message, told);
                if (message["method"]?.GetValue<string>() == "codex/changed") told.Add(message["params"]!.AsObject());
            }
        }

        /// <summary>The provider's user file, by default without its <c>source</c> (which names the record that wrote it); null when there is none.</summary>
        public JsonObject? File(string providerId, bool withSource = false)
        {
            var path = Path.Combine(UserDir, providerId + ".json");
            if (!System.IO.File.Exists(path)) return null;
            var file = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
            if (!withSource) file.Remove("source");
            return file;
        }

        public async Task<string?> SourceOfAsync(string providerId) =>
            (await CallAsync("catalog/list", new JsonObject()))["result"]!.AsArray().SingleOrDefault(p => p!["id"]!.GetValue<string>() == providerId)?["source"]?.GetValue<string>();

        /// <summary>The ids of the catalog records there are.</summary>
        public async Task<IReadOnlyList<string>> RecordIdsAsync() =>
            [.. (await CallAsync("codex/list", new JsonObject { ["templateId"] = "catalog" }))["result"]!["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];

        public async ValueTask DisposeAsync()
        {
            await _sidecar.DisposeAsync();
            _home.Dispose();
        }
    }
}
