using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// The real sidecar on a temp home and workspace, a loopback OpenAI instance, and one chat on it: what the chat and
/// transcript tests start from. <see cref="RestartAsync"/> starts a fresh sidecar on the same home, as a new window would.
/// </summary>
internal sealed class ChatWorld : IAsyncDisposable
{
    public const string Key = "sk-test-chat-0123456789abcdef";
    private readonly TempDir _root = new();

    private ChatWorld()
    {
        Directory.CreateDirectory(Workspace);
    }

    public FakeOpenAIServer Fake { get; } = new();
    public InProcessSidecar Sidecar { get; private set; } = null!;
    public RpcSession Rpc { get; private set; } = null!;
    public string InstanceId { get; private set; } = "";
    public string SessionId { get; private set; } = "";
    public string Home => Path.Combine(_root.Path, "home");
    public string Workspace => Path.Combine(_root.Path, "ws");
    /// <summary>A folder beside the workspace, outside it.</summary>
    public string Outside => _root.Path;

    /// <param name="title">The chat's title; null leaves the default ("New chat").</param>
    /// <param name="prepareHome">Given the home folder before the sidecar starts (to drop a user's templates in it).</param>
    public static async Task<ChatWorld> StartAsync(string? title = "Loopback", string modelId = "gpt-test", string? systemPrompt = null, Action<string>? prepareHome = null)
    {
        var world = new ChatWorld();
        prepareHome?.Invoke(world.Home);
        (world.Sidecar, world.Rpc) = await RpcSession.StartAsync(world.Home, world.Workspace);
        var instance = await world.Rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Loopback OpenAI", ["catalogProviderId"] = "openai", ["endpoint"] = world.Fake.Endpoint, ["apiKey"] = Key,
        });
        world.InstanceId = instance!["id"]!.GetValue<string>();
        world.SessionId = await world.CreateChatAsync(title, modelId, systemPrompt);
        return world;
    }

    public async Task<string> CreateChatAsync(string? title = "Loopback", string modelId = "gpt-test", string? systemPrompt = null)
    {
        // The fake lists its models, but asking it would add a request each test counts: gpt-test is taken as given.
        var request = new JsonObject { ["instanceId"] = InstanceId, ["modelId"] = modelId, ["allowUnlisted"] = true };
        if (title is not null) request["title"] = title;
        if (systemPrompt is not null) request["systemPrompt"] = systemPrompt;
        return (await Rpc.CallAsync("session/create", request))!["id"]!.GetValue<string>();
    }

    public JsonObject Send(string text, string? sessionId = null) => new() { ["sessionId"] = sessionId ?? SessionId, ["text"] = text };

    public async Task<JsonArray> MessagesAsync(string? sessionId = null) =>
        (await Rpc.CallAsync("session/messages", new JsonObject { ["id"] = sessionId ?? SessionId }))!["messages"]!.AsArray();

    public async Task<JsonNode> SessionAsync(string? sessionId = null) => (await Rpc.CallAsync("session/get", new JsonObject { ["id"] = sessionId ?? SessionId }))!;

    /// <summary>Sets fields of the chat's codex record (the chat's settings the protocol has no method for).</summary>
    public async Task SetFieldsAsync(JsonObject fields, string? sessionId = null)
    {
        var id = sessionId ?? SessionId;
        var record = (await Rpc.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
        await Rpc.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = fields });
    }

    public T Service<T>() where T : notnull => Sidecar.Services.GetRequiredService<T>();

    /// <summary>Stops this sidecar and starts another on the same home and workspace.</summary>
    public async Task RestartAsync()
    {
        await Sidecar.DisposeAsync();
        SqliteConnection.ClearAllPools();
        (Sidecar, Rpc) = await RpcSession.StartAsync(Home, Workspace);
    }

    public async ValueTask DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await Fake.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }
}
