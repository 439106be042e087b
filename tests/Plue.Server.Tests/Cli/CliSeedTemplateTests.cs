using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Cli;

/// <summary>
/// Issue item "Seed 004's template through every door", the <c>plue instances add</c> door: with the design notes'
/// llm-provider.json5 in the home, the template in use decides which providers there are and where each option applies,
/// said before the key is asked; an instance it allows reaches the loopback provider at the endpoint typed.
/// </summary>
public sealed class CliSeedTemplateTests : IAsyncLifetime
{
    private readonly CliWorld _world = new();
    private readonly FakeOllamaServer _ollama = new();

    public Task InitializeAsync()
    {
        var templates = Directory.CreateDirectory(Path.Combine(_world.Home, "templates")).FullName;
        File.Copy(RepoPaths.Fixtures("templates", "design-notes", "llm-provider.json5"), Path.Combine(templates, "llm-provider.json5"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _ollama.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task SeedTemplateThroughEveryDoor_CliAdd_AnEndpointForOpenAI_IsRefusedInWords_BeforeTheKey()
    {
        // The key would be read from the pipe: refused first, the pipe is never read and nothing is stored.
        var refused = await _world.RunAsync(new CliInput(CliWorld.Key + "\n"), "instances", "add", "openai", "--endpoint", _world.Fake.Endpoint, "-m", "gpt-4o", "--key-stdin");

        Assert.Equal(2, refused.Code);
        Assert.Contains("--endpoint: your provider template applies it only to ollama, not to openai", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_world.Home, refused.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("No provider instances yet", (await _world.RunAsync("instances", "list")).Stdout, StringComparison.Ordinal);
        Assert.Empty(_world.Fake.Requests);
    }

    [Fact]
    public async Task SeedTemplateThroughEveryDoor_CliAdd_AProviderTheTemplateDoesNotOffer_IsRefusedNamingTheOnesItDoes()
    {
        var refused = await _world.RunAsync("instances", "add", "openrouter", "--no-key");

        Assert.Equal(2, refused.Code);
        Assert.Contains("Your provider template offers claude-code, anthropic, openai, ollama, not openrouter", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedTemplateThroughEveryDoor_CliAdd_OllamaAtTheEndpointTyped_WithAModelOutsideTheCatalog_ReachesTheLoopbackProvider()
    {
        _ollama.ContextLengths["my-own-model:7b"] = 8192;
        // No --no-key: the template gives ollama no key, so none is asked (an empty pipe would be refused if it were).
        var added = await _world.RunAsync("instances", "add", "ollama", "--name", "Local", "--endpoint", _ollama.Endpoint + "/v1", "-m", "my-own-model:7b");
        Assert.True(added.Code == 0, added.ToString());

        var tested = await _world.RunAsync("instances", "test", "Local");

        Assert.True(tested.Code == 0, tested.ToString());
        Assert.Contains(_ollama.Requests, r => r.Path.StartsWith("/api/", StringComparison.Ordinal));
        var listed = await _world.RunAsync("instances", "list");
        Assert.Contains($"Local\tollama\t{_ollama.Endpoint}/v1\tmy-own-model:7b", listed.Stdout, StringComparison.Ordinal);
    }
}
