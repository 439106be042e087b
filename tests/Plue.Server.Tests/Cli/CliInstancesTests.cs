using System.Text.Json.Nodes;

namespace Plue.Tests.Cli;

/// <summary><c>plue instances</c>, <c>providers</c>, <c>models</c> and <c>status</c>: what they print, and their refusals.</summary>
public sealed class CliInstancesTests : IAsyncLifetime
{
    private readonly CliWorld _world = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task List_IsATableWhenPiped_AndSaysHowToStartWhenEmpty()
    {
        var empty = await _world.RunAsync("instances", "list");
        Assert.Equal("No provider instances yet: add one with `plue instances add <provider>` (`plue providers` lists them).\n", empty.Stdout);

        await _world.AddInstanceAsync();
        var listed = await _world.RunAsync("instances", "list");
        var json = await _world.RunAsync("instances", "list", "--json");

        Assert.Equal($"name\tprovider\tendpoint\tdefault model\tkey\tstate\nLoopback\topenai\t{_world.Fake.Endpoint}\tgpt-test\tin the vault\tenabled\n", listed.Stdout);
        var instance = JsonNode.Parse(json.Stdout)!.AsArray().Single()!;
        Assert.Equal(("Loopback", true), (instance["displayName"]!.GetValue<string>(), instance["hasKey"]!.GetValue<bool>()));
        Assert.DoesNotContain(CliWorld.Key, json.Stdout + listed.Stdout);
    }

    [Fact]
    public async Task Add_RefusesAnUnknownProvider_AnEmptyVariable_AndAnEmptyPipe()
    {
        var unknown = await _world.RunAsync("instances", "add", "nosuch", "--no-key");
        Assert.Equal((2, "plue: No provider 'nosuch' in the catalog: `plue providers` lists them.\n"), (unknown.Code, unknown.Stderr));

        var variable = await _world.RunAsync("instances", "add", "openai", "--key-env", "PLUE_TEST_UNSET_VARIABLE");
        Assert.Equal((2, "plue: The environment variable PLUE_TEST_UNSET_VARIABLE is empty or not set.\n"), (variable.Code, variable.Stderr));

        var pipe = await _world.RunAsync("instances", "add", "openai", "--key-stdin");
        Assert.Equal(2, pipe.Code);
        Assert.StartsWith("plue: No key on stdin: pipe it in", pipe.Stderr);

        Assert.Equal("No provider instances yet: add one with `plue instances add <provider>` (`plue providers` lists them).\n", (await _world.RunAsync("instances", "list")).Stdout);
    }

    [Fact]
    public async Task Add_FromAnEnvironmentVariable_KeepsTheKeyInTheVault()
    {
        Environment.SetEnvironmentVariable("PLUE_TEST_CLI_KEY", CliWorld.Key);
        try
        {
            var added = await _world.RunAsync("instances", "add", "OpenAI", "--endpoint", _world.Fake.Endpoint, "--key-env", "PLUE_TEST_CLI_KEY", "--json");

            Assert.True(added.Code == 0, added.ToString());
            var instance = JsonNode.Parse(added.Stdout)!;
            Assert.Equal(("OpenAI", true), (instance["displayName"]!.GetValue<string>(), instance["hasKey"]!.GetValue<bool>()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PLUE_TEST_CLI_KEY", null);
        }
    }

    [Fact]
    public async Task Key_ReplacesTheKey_AndRefusesWhenNoneIsGiven()
    {
        await _world.AddInstanceAsync();

        var none = await _world.RunAsync("instances", "key", "Loopback");
        var replaced = await _world.RunAsync(new CliInput("sk-test-cli-replaced-0123456789\n"), "instances", "key", "loopback", "--key-stdin");
        _world.Fake.EnqueueStream(Fakes.FakeOpenAIServer.TextReply("Hi."));
        var asked = await _world.RunAsync("ask", "hello");

        Assert.Equal((2, "plue: No key given: type it on a terminal, or use --key-env NAME or --key-stdin.\n"), (none.Code, none.Stderr));
        Assert.Equal((0, "The key of Loopback is in the vault.\n"), (replaced.Code, replaced.Stdout));
        Assert.Equal(0, asked.Code);
        Assert.Equal("Bearer sk-test-cli-replaced-0123456789", _world.Fake.Requests.Single(r => r.Method == "POST").Header("Authorization"));
    }

    [Fact]
    public async Task Test_SaysItWorks_OrWhyNot_WithExitCode1()
    {
        await _world.AddInstanceAsync();
        await _world.AddInstanceAsync("Down", endpoint: "http://127.0.0.1:9/v1");

        var works = await _world.RunAsync("instances", "test", "Loopback");
        var json = await _world.RunAsync("instances", "test", "Loopback", "--json");
        var down = await _world.RunAsync("instances", "test", "Down");

        Assert.True(works.Code == 0, works.ToString());
        Assert.Matches(@"^Loopback works: \d+ ms, 2 models\n$", works.Stdout);
        Assert.True(JsonNode.Parse(json.Stdout)!["ok"]!.GetValue<bool>());
        Assert.Equal(1, down.Code);
        Assert.StartsWith("plue: Down does not work: ", down.Stderr);
    }

    [Fact]
    public async Task DisableThenEnable_TestsIt_AndAFailingOneStaysEnabledWithExitCode1()
    {
        await _world.AddInstanceAsync();
        await _world.AddInstanceAsync("Down", endpoint: "http://127.0.0.1:9/v1");

        var disabled = await _world.RunAsync("instances", "disable", "Loopback");
        var listed = await _world.RunAsync("instances", "list");
        var enabled = await _world.RunAsync("instances", "enable", "Loopback");
        await _world.RunAsync("instances", "disable", "Down");
        var failing = await _world.RunAsync("instances", "enable", "Down");
        var failingJson = await _world.RunAsync("instances", "enable", "Down", "--json");

        Assert.Equal((0, "Loopback is disabled.\n"), (disabled.Code, disabled.Stdout));
        Assert.Contains("\tdisabled\n", listed.Stdout);
        Assert.True(enabled.Code == 0, enabled.ToString());
        Assert.Equal("Enabling Loopback and testing it…\n", enabled.Stderr);
        Assert.Matches(@"^Loopback is enabled: it works \(\d+ ms\)\.\n$", enabled.Stdout);
        Assert.Equal(1, failing.Code);
        Assert.Contains("plue: Down is enabled, but does not work: ", failing.Stderr);
        Assert.Contains("check it with `plue instances test \"Down\"`", failing.Stderr);
        Assert.Equal(1, failingJson.Code);
        Assert.True(JsonNode.Parse(failingJson.Stdout)!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Remove_AsksFirst_AndOnlyYesRemoves()
    {
        await _world.AddInstanceAsync();
        await _world.AddInstanceAsync("Second");

        var piped = await _world.RunAsync("instances", "remove", "Loopback");
        var declined = await _world.RunAsync(new CliInput("n\n", Typed: true), "instances", "remove", "Loopback");
        var confirmed = await _world.RunAsync(new CliInput("yes\n", Typed: true), "instances", "remove", "Loopback");
        var json = await _world.RunAsync("instances", "remove", "Second", "--yes", "--json");
        var gone = await _world.RunAsync("instances", "remove", "Loopback", "--yes");

        Assert.Equal((2, "plue: Not removed: confirm with --yes when not on a terminal.\n"), (piped.Code, piped.Stderr));
        Assert.Equal((2, "Remove Loopback and its key? [y/N] plue: Not removed.\n"), (declined.Code, declined.Stderr));
        Assert.Equal((0, "Removed Loopback.\n"), (confirmed.Code, confirmed.Stdout));
        Assert.True(JsonNode.Parse(json.Stdout)!["deleted"]!.GetValue<bool>());
        Assert.Equal(2, gone.Code);
        Assert.Equal("plue: No provider instance is called 'Loopback'. None is set up yet: add one with `plue instances add <provider>`.\n", gone.Stderr);
    }

    [Fact]
    public async Task ProvidersModelsAndStatus_PrintTheCatalogTheModelsAndTheHome()
    {
        await _world.AddInstanceAsync();

        var providers = await _world.RunAsync("providers");
        var providersJson = await _world.RunAsync("providers", "--json");
        var models = await _world.RunAsync("models");
        var modelsJson = await _world.RunAsync("models", "Loopback", "--json");
        var status = await _world.RunAsync("status");
        var statusJson = await _world.RunAsync("status", "--json");

        Assert.StartsWith("id\tname\ttype\tmodels\tendpoint\tsource\n", providers.Stdout);
        Assert.Contains("\nopenai\tOpenAI\t", providers.Stdout);
        Assert.Contains(JsonNode.Parse(providersJson.Stdout)!.AsArray(), p => p!["id"]!.GetValue<string>() == "anthropic");
        Assert.True(models.Code == 0, models.ToString());
        Assert.StartsWith("id\tname\tcontext\tmax output\tinput $/M\toutput $/M\tcache read $/M\n", models.Stdout);
        var ids = JsonNode.Parse(modelsJson.Stdout)!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains($"\n{id}\t", models.Stdout));
        Assert.Equal(0, status.Code);
        Assert.Contains($"home       {_world.Home}\n", status.Stdout);
        Assert.Contains("vault key  ", status.Stdout);
        Assert.Equal(_world.Home, JsonNode.Parse(statusJson.Stdout)!["plueHome"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMistypedCommandOrOption_IsRefusedByTheParser_NamingIt()
    {
        var typo = await _world.RunAsync("instanses", "list");
        var missing = await _world.RunAsync("instances", "test");

        Assert.NotEqual(0, typo.Code);
        Assert.Contains("instanses", typo.Stderr);
        Assert.NotEqual(0, missing.Code);
        Assert.Contains("instance", missing.Stderr);
        Assert.False(Directory.Exists(_world.Home)); // nothing ran: no home was made
    }
}
