using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Agents;

/// <summary>
/// The production sidecar in process with a real client that answers <c>permission/request</c>, a temp PLUE_HOME and
/// workspace, and an OpenAI-compatible instance pointed at a scripted loopback fake; catalog prices are openai's.
/// </summary>
internal sealed class AgentWorld : IAsyncDisposable
{
    public const string Key = "sk-test-agents-0123456789abcdef";
    /// <summary>The strong model an orchestrator runs on, and the cheap one its writers use (both priced in the catalog).</summary>
    public const string Strong = "gpt-5";
    public const string Cheap = "gpt-5-mini";

    private readonly TempDir _root = new();

    private AgentWorld()
    {
        Home = Path.Combine(_root.Path, "home");
        Workspace = Directory.CreateDirectory(Path.Combine(_root.Path, "ws")).FullName;
    }

    public string Home { get; }
    public string Workspace { get; }
    public FakeOpenAIServer Fake { get; } = new();
    public InProcessSidecar Sidecar { get; private set; } = null!;
    public SidecarClient Client { get; private set; } = null!;
    /// <summary>codex://providers/&lt;slug&gt; of the loopback instance.</summary>
    public string ProviderRef { get; private set; } = "";
    public string InstanceId { get; private set; } = "";

    /// <summary>What the user was asked (permission/request params), in order.</summary>
    public ConcurrentQueue<JsonObject> Approvals { get; } = new();

    /// <summary>The user's answer to a permission/request: allow unless a test says otherwise.</summary>
    public Func<JsonObject, JsonObject> Decide { get; set; } = _ => new JsonObject { ["decision"] = "allow" };

    /// <param name="trusted">Whether the client says the user trusts the workspace.</param>
    public static async Task<AgentWorld> StartAsync(Action<IServiceCollection>? configure = null, bool trusted = true)
    {
        var world = new AgentWorld();
        world.Sidecar = new InProcessSidecar(configure);
        await world.Sidecar.StartAsync();
        world.Client = await SidecarClient.StartAsync(world.Sidecar, world.Home, world.Workspace, trusted);
        world.Client.OnRequest = (method, p) =>
        {
            if (method != "permission/request") throw new InvalidOperationException("unexpected request " + method);
            world.Approvals.Enqueue(p);
            return world.Decide(p);
        };
        var instance = (await world.Client.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Loopback OpenAI", ["catalogProviderId"] = "openai", ["endpoint"] = world.Fake.Endpoint, ["apiKey"] = Key,
            ["retry"] = new JsonObject { ["maxAttempts"] = 1 },
        }))!;
        world.ProviderRef = instance["ref"]!.GetValue<string>();
        world.InstanceId = instance["id"]!.GetValue<string>();
        return world;
    }

    /// <param name="allowUnlisted">True for a model id the instance does not offer (one the test made up on purpose).</param>
    public async Task<JsonObject> StartTaskAsync(string templateId, string prompt, string model, JsonObject? fields = null, string? title = null, bool allowUnlisted = false)
    {
        var request = new JsonObject { ["templateId"] = templateId, ["prompt"] = prompt, ["providerRef"] = ProviderRef, ["modelId"] = model, ["allowUnlisted"] = allowUnlisted };
        if (fields is not null) request["fields"] = fields;
        if (title is not null) request["title"] = title;
        return (await Client.CallAsync("task/start", request))!.AsObject();
    }

    public async Task<JsonObject> TaskAsync(string id) => (await Client.CallAsync("task/get", new JsonObject { ["id"] = id }))!.AsObject();

    public async Task<JsonArray> MessagesAsync(string id) =>
        (await Client.CallAsync("task/messages", new JsonObject { ["id"] = id }))!["messages"]!.AsArray();

    /// <summary>The task as the first task/updated that shows it in one of <paramref name="statuses"/> says.</summary>
    public Task<JsonObject> WaitForStatusAsync(string id, params string[] statuses) => WaitForStatusAsync(id, 0, statuses);

    /// <summary>As <see cref="WaitForStatusAsync(string, string[])"/>, among the notifications from the <paramref name="since"/>-th on.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string id, int since, params string[] statuses)
    {
        var update = await Client.WaitForAsync(n => n["method"]!.GetValue<string>() == "task/updated"
            && n["params"]!["task"]!["id"]!.GetValue<string>() == id
            && statuses.Contains(n["params"]!["task"]!["status"]!.GetValue<string>()), what: $"task {id} {string.Join("|", statuses)}", since: since);
        return update["params"]!["task"]!.AsObject();
    }

    /// <summary>
    /// Resumes a paused task and returns where its new run begins among the notifications (just after the update
    /// that shows it running): what comes before may still be a throttled update of its paused state, sent late.
    /// </summary>
    public async Task<int> ResumeAsync(JsonObject request)
    {
        var since = Client.Notifications.Count;
        await Client.CallAsync("task/resume", request);
        var running = await WaitForStatusAsync(request["id"]!.GetValue<string>(), since, "running");
        return Client.Notifications.ToList().FindIndex(n => ReferenceEquals(n["params"]?["task"], running)) + 1;
    }

    /// <summary>The task/updated notifications of one task, in order.</summary>
    public IReadOnlyList<JsonObject> Updates(string id) =>
        [.. Client.Notifications.Where(n => n["method"]!.GetValue<string>() == "task/updated" && n["params"]!["task"]!["id"]!.GetValue<string>() == id)
            .Select(n => n["params"]!["task"]!.AsObject())];

    /// <summary>The children of a task, oldest first.</summary>
    public async Task<JsonArray> ChildrenAsync(string id) => (await Client.CallAsync("task/list", new JsonObject { ["parentId"] = id }))!.AsArray();

    public static JsonObject Args(params (string Name, JsonNode? Value)[] members) => new(members.Select(m => KeyValuePair.Create(m.Name, m.Value)));

    public async ValueTask DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await Client.DisposeAsync();
        await Fake.DisposeAsync();
        _root.Dispose();
    }
}
