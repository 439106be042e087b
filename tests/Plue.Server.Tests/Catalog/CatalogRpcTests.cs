using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Catalog;

/// <summary>The catalog/* methods through the production host (every real handler) on in-memory pipes.</summary>
public sealed class CatalogRpcTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private readonly InProcessSidecar _sidecar = new();
    private int _nextId;

    public async Task InitializeAsync()
    {
        await _sidecar.StartAsync();
        var init = await CallAsync("initialize", new JsonObject { ["initializationOptions"] = new JsonObject { ["plueHome"] = _home.Path } });
        Assert.True(init.ContainsKey("result"));
    }

    private async Task<JsonObject> CallAsync(string method, JsonNode? @params = null)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++_nextId, ["method"] = method };
        if (@params is not null) request["params"] = @params;
        await _sidecar.SendAsync(request.ToJsonString());
        return await _sidecar.ReceiveAnswerAsync();
    }

    private static JsonObject CustomProvider(string id, string endpoint = "https://llm.internal.example/v1") => new()
    {
        ["id"] = id,
        ["name"] = "Company gateway",
        ["type"] = "openai-compatible",
        ["defaultEndpoint"] = endpoint,
        ["models"] = new JsonArray(new JsonObject
        {
            ["id"] = "qwen-coder", ["name"] = "Qwen Coder", ["contextWindow"] = 131072,
            ["prices"] = new JsonObject { ["input"] = 0.2, ["output"] = 0.6, ["cacheRead"] = null, ["cacheWrite"] = null },
        }),
    };

    [Fact]
    public async Task List_ShowsEveryShippedProvider()
    {
        var list = (await CallAsync("catalog/list"))["result"]!.AsArray();

        Assert.Equal(47, list.Count);
        var anthropic = list.Single(p => p!["id"]!.GetValue<string>() == "anthropic")!;
        Assert.Equal("https://api.anthropic.com", anthropic["defaultEndpoint"]!.GetValue<string>());
        Assert.Equal(14, anthropic["modelCount"]!.GetValue<int>());
        Assert.Equal("shipped", anthropic["source"]!.GetValue<string>());
        var azure = list.Single(p => p!["id"]!.GetValue<string>() == "azure")!.AsObject();
        Assert.True(azure.ContainsKey("defaultEndpoint"));
        Assert.Null(azure["defaultEndpoint"]);
        Assert.True(azure["supported"]!.GetValue<bool>()); // its endpoint is the user's own resource
        Assert.False(list.Single(p => p!["id"]!.GetValue<string>() == "vercel")!["supported"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Models_WritesUnknownPricesAsExplicitNulls()
    {
        var models = (await CallAsync("catalog/models", new JsonObject { ["providerId"] = "copilot" }))["result"]!.AsArray();

        var prices = models[0]!["prices"]!.AsObject();
        Assert.Equal(["input", "output", "cacheRead", "cacheWrite"], prices.Select(p => p.Key));
        Assert.All(prices, p => Assert.Null(p.Value));
    }

    [Fact]
    public async Task Models_UnknownProvider_IsNotFoundNamingTheId()
    {
        var answer = await CallAsync("catalog/models", new JsonObject { ["providerId"] = "nope" });

        Assert.Equal(PlueErrorCodes.NotFound, answer["error"]!["code"]!.GetValue<int>());
        Assert.Contains("'nope'", answer["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ThenListAndModels_ShowTheUserProvider_ThenDeleteRemovesIt()
    {
        var created = await CallAsync("catalog/create", CustomProvider("company"));
        Assert.Equal("user", created["result"]!["source"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(_home.Path, "catalog", "company.json")));

        var list = (await CallAsync("catalog/list"))["result"]!.AsArray();
        Assert.Equal(48, list.Count);
        Assert.Equal("user", list.Single(p => p!["id"]!.GetValue<string>() == "company")!["source"]!.GetValue<string>());

        var models = (await CallAsync("catalog/models", new JsonObject { ["providerId"] = "company" }))["result"]!.AsArray();
        Assert.Equal(0.6, models.Single()!["prices"]!["output"]!.GetValue<double>());

        // A model given without prices or flags is stored complete: unknown prices are explicit nulls.
        var bare = CustomProvider("bare");
        bare["models"] = JsonNode.Parse("""[{"id": "m", "name": "M"}]""");
        Assert.True((await CallAsync("catalog/create", bare)).ContainsKey("result"));
        var bareModel = (await CallAsync("catalog/models", new JsonObject { ["providerId"] = "bare" }))["result"]![0]!.AsObject();
        Assert.Equal("""{"input":null,"output":null,"cacheRead":null,"cacheWrite":null}""", bareModel["prices"]!.ToJsonString());
        Assert.False(bareModel["canReason"]!.GetValue<bool>());
        Assert.Empty(bareModel["reasoningLevels"]!.AsArray());

        var deleted = await CallAsync("catalog/delete", new JsonObject { ["id"] = "company" });
        Assert.Equal("company", deleted["result"]!["id"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(_home.Path, "catalog", "company.json")));
        Assert.Equal(48, (await CallAsync("catalog/list"))["result"]!.AsArray().Count);
    }

    [Fact]
    public async Task Create_Invalid_AnswersOneInvalidParams_NamingEachRecordField_AsCodexCreateDoes()
    {
        var provider = CustomProvider("anthropic", endpoint: "localhost:8080");
        provider["models"]!.AsArray().Add(JsonNode.Parse("""{"id": "qwen-coder", "name": "Again", "prices": {"input": -3}}"""));

        var error = (await CallAsync("catalog/create", provider))["error"]!;

        // The template's rules first (a shipped id is no problem: it makes an override); the catalog's own after them.
        Assert.Equal(ErrorCodes.InvalidParams, error["code"]!.GetValue<int>());
        Assert.StartsWith("catalog/create: Invalid fields: endpoint: ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["endpoint", "models"], error["data"]!["fields"]!.AsObject().Select(f => f.Key));
        Assert.Contains("[1].input_price must be at least 0", error["data"]!["fields"]!["models"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "catalog")));
    }

    [Fact]
    public async Task Create_MissingMembers_AreNamedTogether()
    {
        var error = (await CallAsync("catalog/create", new JsonObject { ["id"] = "x" }))["error"]!;
        Assert.Equal(ErrorCodes.InvalidParams, error["code"]!.GetValue<int>());
        Assert.Equal("catalog/create: invalid params: missing required 'name', 'type', 'models'", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateShipped_Overrides_DeleteRestores_DeleteShipped_IsRefused()
    {
        var overrideOf = CustomProvider("openrouter", endpoint: "http://127.0.0.1:4000/v1");
        overrideOf["type"] = "openrouter";
        Assert.Equal("user", (await CallAsync("catalog/update", overrideOf))["result"]!["source"]!.GetValue<string>());

        var deleted = (await CallAsync("catalog/delete", new JsonObject { ["id"] = "openrouter" }))["result"]!;
        Assert.Equal("shipped", deleted["restored"]!["source"]!.GetValue<string>());
        Assert.Equal("https://openrouter.ai/api/v1", deleted["restored"]!["defaultEndpoint"]!.GetValue<string>());

        var refused = (await CallAsync("catalog/delete", new JsonObject { ["id"] = "openrouter" }))["error"]!;
        Assert.Equal(ErrorCodes.InvalidParams, refused["code"]!.GetValue<int>());
        var unknown = (await CallAsync("catalog/update", CustomProvider("ghost")))["error"]!;
        Assert.Equal(PlueErrorCodes.NotFound, unknown["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Templates_AreThreeStartingPoints_EachCreatableAsItStands()
    {
        var templates = (await CallAsync("catalog/templates"))["result"]!.AsArray();

        Assert.Equal(["openai-compatible", "anthropic-compatible", "local-server"], templates.Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal("http://127.0.0.1:8080/v1", templates[2]!["provider"]!["defaultEndpoint"]!.GetValue<string>());
        foreach (var template in templates)
        {
            var created = await CallAsync("catalog/create", template!["provider"]!.DeepClone());
            Assert.True(created.ContainsKey("result"), created.ToJsonString());
        }
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _home.Dispose();
    }
}
