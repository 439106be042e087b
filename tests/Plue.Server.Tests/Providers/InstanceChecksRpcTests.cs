using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Fakes;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Providers;

/// <summary><c>instances/test</c> and <c>instances/models</c> of live instances, through the production host, against loopback fakes and a stand-in CLI.</summary>
public sealed class InstanceChecksRpcTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private readonly InProcessSidecar _sidecar;
    private int _nextId;

    public InstanceChecksRpcTests() =>
        // The claude CLI sees no login of this machine: a config folder of its own.
        _sidecar = new(s => s.AddSingleton(new ClaudeCodeChildEnvironment(new Dictionary<string, string?> { ["CLAUDE_CONFIG_DIR"] = Path.Combine(_home.Path, "claude-config") })));

    public async Task InitializeAsync()
    {
        await _sidecar.StartAsync();
        var vaultKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await ResultAsync("initialize", new JsonObject { ["initializationOptions"] = new JsonObject { ["plueHome"] = _home.Path, ["vaultKey"] = vaultKey } });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task OpenAICompatible_TestAndModels_ListTheServersModelsBesideTheCatalogs()
    {
        await using var fake = new FakeOpenAIServer();
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Local DeepSeek", ["catalogProviderId"] = "deepseek", ["endpoint"] = fake.Endpoint, ["apiKey"] = "sk-deepseek-test" });

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        var models = (await ResultAsync("instances/models", new JsonObject { ["id"] = id })).AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();

        Assert.True(test["ok"]!.GetValue<bool>(), test.ToJsonString());
        Assert.Equal(2, test["modelCount"]!.GetValue<int>());
        Assert.Equal(["deepseek-v4-flash", "deepseek-v4-pro", "gpt-test", "gpt-test-mini"], models);
    }

    [Fact]
    public async Task OpenAICompatible_ServerThatCannotList_ModelsFallBackToTheCatalog()
    {
        await using var fake = new FakeOpenAIServer();
        fake.Http.Handler = _ => FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("bad key", "invalid_request_error"));
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Broken", ["catalogProviderId"] = "deepseek", ["endpoint"] = fake.Endpoint, ["apiKey"] = "sk-wrong" });

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        var models = (await ResultAsync("instances/models", new JsonObject { ["id"] = id })).AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();

        Assert.False(test["ok"]!.GetValue<bool>());
        // Names, not ids: the provider as the catalog names it, the instance as the user named it.
        Assert.StartsWith("DeepSeek rejected the API key (HTTP 401): bad key. Check the key of 'Broken'", test["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["deepseek-v4-flash", "deepseek-v4-pro"], models);
    }

    [Theory]
    [InlineData("""{"loggedIn":true,"authMethod":"api_key"}""", true, null)]
    [InlineData("""{"loggedIn":false,"authMethod":"none"}""", false, "The Claude Code CLI is not logged in: run `claude login` in a terminal")]
    public async Task ClaudeCode_TestAsksTheCliAndModelsComeFromTheCatalog(string authStatus, bool ok, string? error)
    {
        using var cli = new ReplayCli([], authStatus: authStatus);
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Claude", ["catalogProviderId"] = "claude-code", ["cliPath"] = cli.Path });

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        var models = (await ResultAsync("instances/models", new JsonObject { ["id"] = id })).AsArray();

        Assert.Equal(ok, test["ok"]!.GetValue<bool>());
        Assert.Equal(error, test["error"]?.GetValue<string>());
        Assert.Equal(17, test["modelCount"]!.GetValue<int>());
        Assert.Equal(17, models.Count);
    }

    [Fact]
    public async Task ClaudeCode_InstanceWithItsOwnKey_TestsLoggedIn_ByTheRealCliGivenItsChatsEnvironment()
    {
        // The real CLI, with no login of its own (its config folder is empty): only the instance's key and endpoint,
        // given as its chats give them, log it in. Given no environment, it answered "not logged in" while chats worked.
        var id = await CreateAsync(new JsonObject
        {
            ["displayName"] = "Claude with a key", ["catalogProviderId"] = "claude-code", ["cliPath"] = ClaudeCli.Path,
            ["apiKey"] = "sk-ant-api03-instance-own-key", ["endpoint"] = "http://127.0.0.1:9",
        });

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });

        Assert.True(test["ok"]!.GetValue<bool>(), test.ToJsonString());
        Assert.Null(test["error"]);
    }

    [Fact]
    public async Task ClaudeCode_MissingCli_IsNotInstalled()
    {
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Claude", ["catalogProviderId"] = "claude-code", ["cliPath"] = Path.Combine(_home.Path, "no-claude") });

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });

        Assert.False(test["ok"]!.GetValue<bool>());
        Assert.StartsWith("The Claude Code CLI is not installed:", test["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<string> CreateAsync(JsonObject @params) => (await ResultAsync("instances/create", @params))["id"]!.GetValue<string>();

    private async Task<JsonNode> ResultAsync(string method, JsonNode @params)
    {
        await _sidecar.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++_nextId, ["method"] = method, ["params"] = @params }.ToJsonString());
        var answer = await _sidecar.ReceiveAnswerAsync();
        return answer["result"] ?? throw new InvalidOperationException(answer.ToJsonString());
    }
}
