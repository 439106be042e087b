using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Instances;

/// <summary>The instances/* and vault/* methods through the production host on in-memory pipes.</summary>
public sealed class InstanceRpcTests : IAsyncLifetime
{
    private const string Secret = "sk-rpc-RECOGNIZABLE-7f3a9c";
    private readonly TempDir _home = new();
    private readonly InProcessSidecar _sidecar = new();
    private readonly List<JsonObject> _answers = [];
    private int _nextId;

    public async Task InitializeAsync()
    {
        await _sidecar.StartAsync();
        var vaultKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await CallAsync("initialize", new JsonObject { ["initializationOptions"] = new JsonObject { ["plueHome"] = _home.Path, ["vaultKey"] = vaultKey } });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _home.Dispose();
    }

    private async Task<JsonObject> CallAsync(string method, JsonNode? @params = null)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++_nextId, ["method"] = method };
        if (@params is not null) request["params"] = @params;
        await _sidecar.SendAsync(request.ToJsonString());
        // Notifications (codex/changed) come between the answers; every one is kept for the checks on what was sent.
        while (true)
        {
            var message = await _sidecar.ReceiveAsync();
            _answers.Add(message);
            if (message.ContainsKey("id")) return message;
        }
    }

    private async Task<JsonNode> ResultAsync(string method, JsonNode? @params = null)
    {
        var answer = await CallAsync(method, @params);
        return answer["result"] ?? throw new InvalidOperationException(answer.ToJsonString());
    }

    [Fact]
    public async Task Lifecycle_CreateListUpdateDisableDelete_NeverReturnsTheKey()
    {
        var created = await ResultAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Team Anthropic", ["catalogProviderId"] = "anthropic", ["apiKey"] = Secret,
        });
        var id = created["id"]!.GetValue<string>();
        Assert.True(created["hasKey"]!.GetValue<bool>());
        Assert.Equal(["vault://anthropic/team-anthropic"], (await ResultAsync("vault/list")).AsArray().Select(n => n!.GetValue<string>()));
        Assert.True((await ResultAsync("vault/has", new JsonObject { ["ref"] = "vault://anthropic/team-anthropic" }))["exists"]!.GetValue<bool>());

        Assert.Contains((await ResultAsync("instances/list")).AsArray(), i => i!["id"]!.GetValue<string>() == id);
        var updated = await ResultAsync("instances/update", new JsonObject { ["id"] = id, ["version"] = 1, ["timeoutMs"] = 30000, ["apiKey"] = Secret + "-2" });
        Assert.Equal(30000, updated["timeoutMs"]!.GetValue<int>());
        var stale = await CallAsync("instances/update", new JsonObject { ["id"] = id, ["version"] = 1, ["timeoutMs"] = 9000 });
        Assert.Equal(PlueErrorCodes.Conflict, stale["error"]!["code"]!.GetValue<int>());
        var disabled = await ResultAsync("instances/setEnabled", new JsonObject { ["id"] = id, ["enabled"] = false });
        Assert.False(disabled["enabled"]!.GetValue<bool>());
        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        Assert.False(test["ok"]!.GetValue<bool>());
        Assert.Equal(0, test["latencyMs"]!.GetValue<int>());
        Assert.Equal("the instance is disabled", test["error"]!.GetValue<string>());
        Assert.NotEmpty((await ResultAsync("instances/models", new JsonObject { ["id"] = id })).AsArray());
        Assert.True((await ResultAsync("instances/get", new JsonObject { ["id"] = id }))["hasKey"]!.GetValue<bool>());

        Assert.True((await ResultAsync("instances/delete", new JsonObject { ["id"] = id }))["deleted"]!.GetValue<bool>());
        // Its key is kept aside for codex/undo only.
        Assert.Equal([$"vault://undo/{id}"], (await ResultAsync("vault/list")).AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(PlueErrorCodes.NotFound, (await CallAsync("instances/get", new JsonObject { ["id"] = id }))["error"]!["code"]!.GetValue<int>());

        Assert.All(_answers, a => Assert.DoesNotContain(Secret, a.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_OfAnAcpAgent_AreTheCatalogsOne_WithoutAskingAnything()
    {
        // An ACP agent picks its own model and has no endpoint to list models from: New Chat's model step lists the one
        // that stands for it (it answered "Internal error … has no endpoint" before).
        var created = await ResultAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Some ACP agent", ["catalogProviderId"] = "acp-agent", ["cliPath"] = Environment.ProcessPath!, // a program that is there: one that is not is refused
        });

        var models = (await ResultAsync("instances/models", new JsonObject { ["id"] = created["id"]!.GetValue<string>() })).AsArray();

        Assert.Equal(["agent"], models.Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Vault_StoreDeleteRotate_AnswerWithoutValues()
    {
        Assert.Equal("vault://openai/work", (await ResultAsync("vault/store", new JsonObject { ["ref"] = "vault://openai/work", ["value"] = Secret }))["ref"]!.GetValue<string>());
        var rotated = await ResultAsync("vault/rotate", new JsonObject { ["newKey"] = Convert.ToBase64String(new byte[32]) });
        Assert.Equal(1, rotated["count"]!.GetValue<int>());
        Assert.True((await ResultAsync("vault/has", new JsonObject { ["ref"] = "vault://openai/work" }))["exists"]!.GetValue<bool>());
        Assert.True((await ResultAsync("vault/delete", new JsonObject { ["ref"] = "vault://openai/work" }))["deleted"]!.GetValue<bool>());
        Assert.False((await ResultAsync("vault/has", new JsonObject { ["ref"] = "vault://openai/work" }))["exists"]!.GetValue<bool>());
        var bad = await CallAsync("vault/store", new JsonObject { ["ref"] = "vault://../x", ["value"] = Secret });
        Assert.Equal(ErrorCodes.InvalidParams, bad["error"]!["code"]!.GetValue<int>());

        Assert.All(_answers, a => Assert.DoesNotContain(Secret, a.ToJsonString(), StringComparison.Ordinal));
    }
}
