using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Fakes;

namespace Plue.Bench;

/// <summary>
/// An orchestrator fanning out to <see cref="Children"/> sub-tasks at once through the real sidecar process, each
/// streaming <see cref="Deltas"/> deltas at a fixed pace from a loopback OpenAI-compatible fake. Reports the sidecar's
/// CPU time and peak working set, and its wall time over the provider's own: the same streams read directly, in parallel.
/// </summary>
internal static class TasksBench
{
    private const int Children = 20;
    private const int Deltas = 100;
    private static readonly TimeSpan s_pace = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(string sidecar)
    {
        var home = Directory.CreateTempSubdirectory("plue-bench-tasks-").FullName;
        await using var provider = new LoopbackHttpServer();
        provider.Handler = Answer;
        var endpoint = provider.Url + "/v1";

        var direct = await DirectAsync(endpoint);

        var done = new TaskCompletionSource<AgentTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? rootId = null;
        var deltas = 0;
        var router = new RequestRouter();
        router.Add(Contract.TaskUpdated, (p, _) =>
        {
            if (p.Task.Id == rootId && p.Task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled or AgentTaskStatus.Paused) done.TrySetResult(p.Task);
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.SessionPartDelta, (_, _) =>
        {
            Interlocked.Increment(ref deltas);
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.PermissionRequest, _ => new PermissionRequestResult { Decision = "allow" });
        await using var process = SidecarProcess.Start(sidecar, home, router);
        var peer = process.Peer;
        await peer.RequestAsync(Contract.Initialize, new InitializeParams
        {
            InitializationOptions = new InitializationOptions { PlueHome = home, VaultKey = Convert.ToBase64String(new byte[32]), WorkspaceFolders = [home], Trusted = true },
        });
        var instance = await peer.RequestAsync(Contract.InstancesCreate, new CreateInstanceParams
        {
            DisplayName = "Bench", CatalogProviderId = "openai", Endpoint = endpoint, ApiKey = "sk-bench",
        });

        var cpuBefore = process.CpuTime;
        var clock = Stopwatch.StartNew();
        var root = await peer.RequestAsync(Contract.TaskStart, new TaskStartParams
        {
            TemplateId = "task-orchestrator", Title = "Bench", Prompt = "BENCH-ORCH: fan out", ProviderRef = instance.Ref, ModelId = "gpt-5",
            Fields = new JsonObject { ["max_spawned_tasks"] = Children, ["concurrency"] = Children, ["child_templates"] = new JsonArray("task") },
        });
        rootId = root.Id;
        var final = await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var wall = clock.Elapsed;
        var cpu = process.CpuTime - cpuBefore;
        if (final.Status != AgentTaskStatus.Completed || final.ChildCount != Children)
            throw new InvalidOperationException($"the orchestrator ended {final.Status} with {final.ChildCount} children: {final.StatusReason}");

        Console.WriteLine($"{Children} sub-tasks at once, each streaming {Deltas} deltas every {s_pace.TotalMilliseconds:F0} ms ({deltas} session/partDelta read by the client):");
        Console.WriteLine($"  provider's own time (the {Children} streams read directly, in parallel): {Stats.Ms(direct.TotalMilliseconds)}");
        Console.WriteLine($"  through the sidecar, task/start to the orchestrator's completion (3 model turns on the critical path): {Stats.Ms(wall.TotalMilliseconds)}, " +
            $"overhead {Stats.Ms((wall - direct).TotalMilliseconds)}");
        Console.WriteLine($"  sidecar CPU time during the run: {Stats.Ms(cpu.TotalMilliseconds)}; peak working set: {process.PeakWorkingSetBytes / (1024.0 * 1024):F0} MiB");
    }

    /// <summary>The orchestrator's first turn spawns every child, its second reports; a child streams its text at the pace.</summary>
    private static FakeResponse Answer(RecordedRequest request)
    {
        var body = request.Body;
        var turn = CountAssistant(body);
        if (body.Contains("BENCH-ORCH", StringComparison.Ordinal))
        {
            if (turn > 0) return Stream([Frame(new JsonObject { ["content"] = "All children reported." }, "stop"), Usage(), "data: [DONE]\n\n"]);
            var calls = new JsonArray([.. Enumerable.Range(0, Children).Select(i => (JsonNode)new JsonObject
            {
                ["index"] = i, ["id"] = $"call_{i}", ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = "spawn_task",
                    ["arguments"] = new JsonObject { ["template"] = "task", ["title"] = $"Child {i}", ["goal"] = $"BENCH-CHILD {i}: report", ["model_id"] = "gpt-5-mini" }.ToJsonString(),
                },
            })]);
            return Stream([Frame(new JsonObject { ["tool_calls"] = calls }, "tool_calls"), Usage(), "data: [DONE]\n\n"]);
        }
        return ChildStream();
    }

    private static FakeResponse ChildStream() => new()
    {
        ContentType = "text/event-stream",
        Steps = [.. Enumerable.Range(0, Deltas).Select(i => new FakeStep(Frame(new JsonObject { ["content"] = $"d{i} " }), s_pace)),
            new FakeStep(Frame(new JsonObject(), "stop")), new FakeStep(Usage()), new FakeStep("data: [DONE]\n\n")],
    };

    /// <summary>The provider alone: the children's streams read by plain HttpClients at once.</summary>
    private static async Task<TimeSpan> DirectAsync(string endpoint)
    {
        using var http = new HttpClient();
        async Task ReadOne(int i)
        {
            var body = new JsonObject { ["model"] = "gpt-5-mini", ["stream"] = true, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"BENCH-CHILD {i}" }) };
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint + "/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.CopyToAsync(System.IO.Stream.Null);
        }
        await ReadOne(-1); // warm-up
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Children).Select(ReadOne));
        return clock.Elapsed;
    }

    private static int CountAssistant(string body) => (JsonNode.Parse(body)?["messages"]?.AsArray() ?? []).Count(m => m?["role"]?.GetValue<string>() == "assistant");

    private static FakeResponse Stream(IEnumerable<string> frames) => FakeResponse.Stream("text/event-stream", frames);

    internal static string Frame(JsonObject delta, string? finish = null) =>
        "data: " + new JsonObject
        {
            ["id"] = "c", ["object"] = "chat.completion.chunk", ["model"] = "bench",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        }.ToJsonString() + "\n\n";

    internal static string Usage() =>
        "data: " + new JsonObject
        {
            ["id"] = "c", ["object"] = "chat.completion.chunk", ["choices"] = new JsonArray(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1000, ["completion_tokens"] = Deltas, ["total_tokens"] = 1000 + Deltas },
        }.ToJsonString() + "\n\n";
}
