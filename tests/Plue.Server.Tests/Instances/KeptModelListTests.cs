using System.Text.Json.Nodes;
using Plue.Tests.Sessions;
using Plue.Tests.Support;

namespace Plue.Tests.Instances;

/// <summary>
/// A provider's model list outlives the sidecar that heard it (PLUE_HOME/model-lists.json): a new window's chat on a model
/// the provider listed, not the catalog, starts without asking for the list again; a model the kept list lacks is asked
/// of the provider before it is refused; a deleted instance's list goes with it.
/// </summary>
public sealed class KeptModelListTests
{
    [Fact]
    public async Task ANewWindowsChat_OnAModelTheProviderListed_StartsWithoutAskingAgain_AndAModelTheKeptListLacks_IsAskedOfTheProvider()
    {
        await using var world = await ChatWorld.StartAsync();
        world.Fake.Models.Add("brand-new"); // the provider lists it; the catalog does not name it
        var file = Path.Combine(world.Home, "model-lists.json");

        await CreateAsync(world, "brand-new");
        Assert.Equal(1, Listings(world));
        await Polling.Eventually(() => File.Exists(file) && File.ReadAllText(file).Contains("brand-new", StringComparison.Ordinal), "the list kept in the home");
        Assert.DoesNotContain(ChatWorld.Key, await File.ReadAllTextAsync(file));

        await world.RestartAsync();
        await CreateAsync(world, "brand-new");
        Assert.Equal(1, Listings(world));

        // Added since the list was kept: the provider is asked, and the chat starts on it.
        world.Fake.Models.Add("newer");
        await CreateAsync(world, "newer");
        Assert.Equal(2, Listings(world));

        // What the provider does not offer is still refused, naming what it does, from the list this sidecar heard.
        var refused = await Assert.ThrowsAsync<RpcCallException>(() => CreateAsync(world, "no-such-model"));
        Assert.Contains("'no-such-model' is not a model Loopback OpenAI offers", refused.Message);
        Assert.Contains("It offers: ", refused.Message);
        Assert.Equal(2, Listings(world));
    }

    [Fact]
    public async Task AKeptList_DoesNotStandForTheInstanceOnceItsKeyChanged_AndGoesWithTheDeletedInstance()
    {
        await using var world = await ChatWorld.StartAsync();
        world.Fake.Models.Add("brand-new");
        var file = Path.Combine(world.Home, "model-lists.json");
        await CreateAsync(world, "brand-new");
        await Polling.Eventually(() => File.Exists(file) && File.ReadAllText(file).Contains(world.InstanceId, StringComparison.Ordinal), "the list kept");

        await world.RestartAsync();
        var version = (await world.Rpc.CallAsync("instances/get", new JsonObject { ["id"] = world.InstanceId }))!["version"]!.GetValue<long>();
        var keptForTheOldKey = await File.ReadAllTextAsync(file);
        await world.Rpc.CallAsync("instances/update", new JsonObject { ["id"] = world.InstanceId, ["version"] = version, ["apiKey"] = "sk-another-key-0123456789" });
        await CreateAsync(world, "brand-new");
        Assert.Equal(2, Listings(world));
        await Polling.Eventually(() => File.ReadAllText(file) != keptForTheOldKey, "the list kept for the new key");

        await world.Rpc.CallAsync("instances/delete", new JsonObject { ["id"] = world.InstanceId });
        await Polling.Eventually(() => !File.ReadAllText(file).Contains(world.InstanceId, StringComparison.Ordinal), "the deleted instance's list forgotten");
    }

    private static Task<JsonNode?> CreateAsync(ChatWorld world, string modelId) =>
        world.Rpc.CallAsync("session/create", new JsonObject { ["instanceId"] = world.InstanceId, ["modelId"] = modelId });

    private static int Listings(ChatWorld world) => world.Fake.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/models", StringComparison.Ordinal));
}
