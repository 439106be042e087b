using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using Plue.Vault;

namespace Plue.Tests.Instances;

/// <summary>
/// An instance's last test, through the production host against a loopback provider: kept on the instance, with what
/// mends a failure, replaced by the next test, still there after the sidecar restarts, and forgotten with the instance.
/// </summary>
public sealed class InstanceLastTestRpcTests : IAsyncLifetime
{
    private readonly TempDir _home = new();
    private InProcessSidecar _sidecar = null!;
    private RpcSession _rpc = null!;

    public async Task InitializeAsync() => (_sidecar, _rpc) = await RpcSession.StartAsync(_home.Path);

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Test_RefusedKeyThenFixed_LastTestSaysWhyThenOkAndSurvivesARestart()
    {
        await using var fake = new FakeOpenAIServer();
        var route = fake.Http.Handler;
        fake.Http.Handler = r => r.Header("Authorization") == "Bearer sk-right" ? route(r) : FakeResponse.Json(401, FakeOpenAIServer.ErrorBody("Incorrect API key provided", "invalid_request_error"));
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Loopback", ["catalogProviderId"] = "deepseek", ["endpoint"] = fake.Endpoint, ["apiKey"] = "sk-wrong" });
        Assert.Null((await GetAsync(id))["lastTest"]);

        var before = DateTimeOffset.UtcNow;
        var failed = await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        var kept = (await GetAsync(id))["lastTest"]!;

        Assert.False(kept["ok"]!.GetValue<bool>());
        Assert.Equal("key", kept["fix"]!.GetValue<string>());
        Assert.Contains("rejected the API key", kept["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(failed.ToJsonString(), kept.ToJsonString());
        Assert.InRange(kept["testedAt"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow);
        Assert.DoesNotContain("sk-wrong", File.ReadAllText(Path.Combine(_home.Path, "instance-tests.json")), StringComparison.Ordinal);

        var version = (await GetAsync(id))["version"]!.GetValue<long>();
        await ResultAsync("instances/update", new JsonObject { ["id"] = id, ["version"] = version, ["apiKey"] = "sk-right" });
        await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        await RestartAsync();
        var listed = (await ResultAsync("instances/list", new JsonObject())).AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!;

        var ok = listed["lastTest"]!;
        Assert.True(ok["ok"]!.GetValue<bool>(), ok.ToJsonString());
        Assert.Equal(2, ok["modelCount"]!.GetValue<int>());
        Assert.Null(ok["fix"]);
        Assert.Null(ok["error"]);
        Assert.Equal(version + 1, listed["version"]!.GetValue<long>()); // the key's update only: a test is no edit
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/v1", "sk-any", "settings")] // port 9 refuses at once: unreachable
    [InlineData(null, null, "key")] // no key at all: found without a call
    public async Task Test_Failure_NamesWhatMendsIt(string? endpoint, string? key, string fix)
    {
        var settings = new JsonObject { ["displayName"] = "Broken", ["catalogProviderId"] = "deepseek" };
        if (endpoint is not null) settings["endpoint"] = endpoint;
        if (key is not null) settings["apiKey"] = key;
        var id = await CreateAsync(settings);

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });

        Assert.False(test["ok"]!.GetValue<bool>());
        Assert.Equal(fix, test["fix"]!.GetValue<string>());
        Assert.Equal(fix, (await GetAsync(id))["lastTest"]!["fix"]!.GetValue<string>());
    }

    [Fact]
    public async Task Test_DisabledInstance_FixIsEnable()
    {
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Off", ["catalogProviderId"] = "deepseek", ["apiKey"] = "sk-x", ["enabled"] = false });

        var test = await ResultAsync("instances/test", new JsonObject { ["id"] = id });

        Assert.Equal("enable", test["fix"]!.GetValue<string>());
        Assert.Equal("the instance is disabled", test["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_AfterAFailedTest_TheInstanceReadsAsUntested_ButARenameKeepsTheTest()
    {
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Typo", ["catalogProviderId"] = "deepseek", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-any" });
        await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        var version = (await GetAsync(id))["version"]!.GetValue<long>();

        // The name is no setting a test tried: the failure still speaks for the instance.
        await ResultAsync("instances/update", new JsonObject { ["id"] = id, ["version"] = version, ["displayName"] = "Renamed" });
        Assert.False((await GetAsync(id))["lastTest"]!["ok"]!.GetValue<bool>());

        // A new endpoint may have mended it: the old failure no longer says anything about it.
        await ResultAsync("instances/update", new JsonObject { ["id"] = id, ["version"] = version + 1, ["endpoint"] = "http://127.0.0.1:8/v1" });
        Assert.Null((await GetAsync(id))["lastTest"]);
        Assert.Null((await ResultAsync("instances/list", new JsonObject())).AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!["lastTest"]);

        var again = await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        Assert.Equal(again.ToJsonString(), (await GetAsync(id))["lastTest"]!.ToJsonString());
    }

    [Fact]
    public async Task Delete_TestedInstance_ItsTestIsForgotten()
    {
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Gone", ["catalogProviderId"] = "deepseek", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-x" });
        var other = await CreateAsync(new JsonObject { ["displayName"] = "Stays", ["catalogProviderId"] = "deepseek", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-y" });
        await ResultAsync("instances/test", new JsonObject { ["id"] = id });
        await ResultAsync("instances/test", new JsonObject { ["id"] = other });

        await ResultAsync("instances/delete", new JsonObject { ["id"] = id });

        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(_home.Path, "instance-tests.json")))!.AsObject();
        Assert.False(file.ContainsKey(id));
        Assert.True(file.ContainsKey(other));
    }

    [Fact]
    public async Task List_DamagedTestFile_InstancesReadAsUntestedAndTheNextTestRewritesIt()
    {
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Damaged", ["catalogProviderId"] = "deepseek", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-x" });
        await File.WriteAllTextAsync(Path.Combine(_home.Path, "instance-tests.json"), "{ not json");

        Assert.Null((await GetAsync(id))["lastTest"]);
        await ResultAsync("instances/test", new JsonObject { ["id"] = id });

        Assert.False((await GetAsync(id))["lastTest"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Test_ResultFile_IsPrivate_EvenWhereAnEarlierPlueWroteItReadableByAll()
    {
        if (OperatingSystem.IsWindows()) return;
        var id = await CreateAsync(new JsonObject { ["displayName"] = "Private", ["catalogProviderId"] = "deepseek", ["endpoint"] = "http://127.0.0.1:9/v1", ["apiKey"] = "sk-x" });
        var path = Path.Combine(_home.Path, "instance-tests.json");
        await File.WriteAllTextAsync(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await ResultAsync("instances/test", new JsonObject { ["id"] = id });

        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFiles(_home.Path, "*.tmp"));
    }

    private async Task RestartAsync()
    {
        await _sidecar.DisposeAsync();
        (_sidecar, _rpc) = await RpcSession.StartAsync(_home.Path);
    }

    private Task<JsonNode> GetAsync(string id) => ResultAsync("instances/get", new JsonObject { ["id"] = id });

    private async Task<string> CreateAsync(JsonObject @params) => (await ResultAsync("instances/create", @params))["id"]!.GetValue<string>();

    private async Task<JsonNode> ResultAsync(string method, JsonObject @params) => (await _rpc.CallAsync(method, @params))!;
}
