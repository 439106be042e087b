using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Agents.Containers;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Shell;
using Plue.Engines;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Fakes;

namespace Plue.Bench;

/// <summary>
/// Tasks in containers (docs/CONTAINERS.md) on a private Docker engine of the bench's own
/// (<c>tests/support/docker-engine.mjs start</c>: Debian's dockerd, vfs storage, a 2 MB busybox image):
/// <list type="bullet">
/// <item>a task's start to its first tool call inside its container (<c>task/start</c> to the moment the loopback
/// provider reads the <c>bash</c> call's result), through the real sidecar, beside <c>docker run --rm image true</c> on
/// the same engine through the Engine API (create, start, wait, remove: the least a container that runs a command costs);</item>
/// <item>a <c>bash</c> call inside a running container (the bash tool in process, <c>exec</c> of <c>true</c>) beside the
/// same call on this machine (the bash tool unsandboxed: the same job, only the place differs) and beside the engine's
/// own <c>exec</c> of <c>true</c> (what the engine costs without the tool's wrapper);</item>
/// <item>8 sub-tasks in 8 containers at once: an orchestrator's spawn to the last of its 8 sub-tasks' first tool calls,
/// beside 8 <c>docker run --rm image true</c> at once.</item>
/// </list>
/// Linux with <c>dockerd</c> and root (or <c>PLUE_TEST_DOCKER_HOST</c>) only; elsewhere one line says why.
/// </summary>
internal static class ContainerBench
{
    private const int FanOut = 8;
    private const string EngineName = "Bench engine";

    public static async Task AddFiguresAsync(BenchTargets targets, Figures figures)
    {
        if (Missing() is { } why)
        {
            Console.WriteLine($"containers: no figure ({why})");
            return;
        }
        var repo = targets.Repo ?? Directory.GetCurrentDirectory();
        var engine = await StartEngineAsync(repo).ConfigureAwait(false);
        var root = Directory.CreateTempSubdirectory("plue-bench-containers-").FullName;
        try
        {
            using var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, EngineName, CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine($"containers: a private engine, Docker {client.Version.Version} (API {client.Version.ApiVersion}), vfs storage, image {engine.Image}");
            var workspace = Directory.CreateDirectory(Path.Combine(root, "ws")).FullName;
            await BashFiguresAsync(targets, figures, client, engine, workspace, Path.Combine(root, "home")).ConfigureAwait(false);
            await TaskFiguresAsync(targets, figures, client, engine, workspace, Path.Combine(root, "sidecar-home")).ConfigureAwait(false);
        }
        finally
        {
            if (engine.Dir is { } dir) await NodeAsync(repo, "stop", dir).ConfigureAwait(false);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Why the figures cannot be measured here, as the container test suites skip; null when they can.</summary>
    private static string? Missing()
    {
        if (Environment.GetEnvironmentVariable("PLUE_TEST_DOCKER_HOST") is { Length: > 0 }) return null;
        if (!OperatingSystem.IsLinux() || !(File.Exists("/usr/sbin/dockerd") || File.Exists("/usr/bin/dockerd")))
            return "no Docker engine: install Debian's docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST";
        return Environment.UserName == "root" ? null : "a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST";
    }

    private sealed record Engine(string Host, string Image, string? Dir);

    /// <summary>The suites' engine (<c>docker-engine.mjs start</c>, one JSON line), its tiny image made.</summary>
    private static async Task<Engine> StartEngineAsync(string repo)
    {
        var line = await NodeAsync(repo, "start").ConfigureAwait(false);
        var json = JsonNode.Parse(line.Trim().Split('\n')[^1])!;
        return new Engine(json["host"]!.GetValue<string>(), json["image"]!.GetValue<string>(), json["dir"]?.GetValue<string>());
    }

    private static async Task<string> NodeAsync(string repo, params string[] args)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = repo };
        start.ArgumentList.Add(Path.Combine(repo, "tests/support/docker-engine.mjs"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker-engine.mjs {string.Join(' ', args)} failed ({process.ExitCode})");
        return output;
    }

    /// <summary><c>docker run --rm image true</c> through the Engine API: create, start, wait, remove.</summary>
    private static async Task<double> RunTrueAsync(EngineClient client, string image)
    {
        var clock = Stopwatch.StartNew();
        var id = await client.CreateContainerAsync(new ContainerSpec { Image = image, Command = ["true"] }, CancellationToken.None).ConfigureAwait(false);
        await client.StartAsync(id, CancellationToken.None).ConfigureAwait(false);
        var stop = await client.WaitAsync(id, CancellationToken.None).ConfigureAwait(false);
        await client.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
        if (stop.ExitCode != 0) throw new InvalidOperationException($"true exited {stop.ExitCode} in its container");
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>The bash tool's call inside a running container made as a task's is, beside the same call here and the engine's own exec.</summary>
    private static async Task BashFiguresAsync(BenchTargets targets, Figures figures, EngineClient client, Engine engine, string workspace, string plueHome)
    {
        var image = engine.Image;
        Directory.CreateDirectory(plueHome);
        var spec = new ContainerSpec
        {
            Image = image, Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"], User = "1000",
            WorkingDir = workspace, Env = TaskContainer.Environment, Binds = [(workspace, workspace, false)], Confined = true,
            Cpus = 2, MemoryMb = 2048, Pids = 512,
        };
        var id = await client.CreateContainerAsync(spec, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await client.StartAsync(id, CancellationToken.None).ConfigureAwait(false);
            // Its own client: a task's container owns (and disposes) the one it was made with.
            var own = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, EngineName, CancellationToken.None).ConfigureAwait(false);
            using var container = new TaskContainer(own, id, workspace, "1000", new TaskContainerInfo { Engine = EngineName, EngineId = "bench", Image = image, Network = "none", State = "running" });
            var bash = new BashTool();
            using var input = JsonDocument.Parse("""{"command":"true"}""");
            var inside = new ToolContext { TaskId = "bench", WorkspaceFolders = [workspace], Container = container, PlueHome = plueHome };
            var here = new ToolContext { TaskId = "bench", WorkspaceFolders = [workspace], PlueHome = plueHome };
            var rounds = targets.Rounds(100, 20);
            await figures.CompareEachAsync("bash call in a container (exec of true)", "ms", rounds, 3, () => SandboxBench.CallAsync(bash, input.RootElement, inside),
                [("bash call, this machine", () => SandboxBench.CallAsync(bash, input.RootElement, here)),
                    ("the engine's exec of true", () => ExecAsync(client, id))]).ConfigureAwait(false);
        }
        finally
        {
            await client.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<double> ExecAsync(EngineClient client, string id)
    {
        var clock = Stopwatch.StartNew();
        var code = await client.ExecAsync(id, new ExecSpec { Command = ["true"], User = "1000" }, (_, _) => { }, CancellationToken.None).ConfigureAwait(false);
        if (code != 0) throw new InvalidOperationException($"exec of true exited {code}");
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Tasks through the real sidecar: a task's first tool call in its container, and an orchestrator's 8 sub-tasks'
    /// at once, each beside its floor on the same engine.
    /// </summary>
    private static async Task TaskFiguresAsync(BenchTargets targets, Figures figures, EngineClient client, Engine engine, string workspace, string home)
    {
        Directory.CreateDirectory(home);
        // When the provider read each goal's first tool result: the tool call inside the container is done then.
        var firstToolCall = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        var spawned = new ConcurrentDictionary<string, long>();
        await using var provider = new LoopbackHttpServer();
        provider.Handler = request =>
        {
            var messages = JsonNode.Parse(request.Body)?["messages"]?.AsArray() ?? [];
            var goal = messages.FirstOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"]?.ToJsonString() ?? "";
            var marker = System.Text.RegularExpressions.Regex.Match(goal, @"BENCH-[A-Z]+-\d+(-\d+)?").Value;
            var answered = messages.Any(m => m?["role"]?.GetValue<string>() == "assistant");
            if (marker.StartsWith("BENCH-FAN-", StringComparison.Ordinal) && marker.Count(c => c == '-') == 2)
            {
                if (answered) return Reply(TasksBench.Frame(new JsonObject { ["content"] = "all started" }, "stop"));
                spawned[marker] = Stopwatch.GetTimestamp();
                return Reply(ToolCalls([.. Enumerable.Range(0, FanOut).Select(i => ("spawn_task", new JsonObject
                {
                    ["template"] = "task-code-writer", ["title"] = $"Child {i}", ["goal"] = $"{marker}-{i}: run true", ["isolation"] = "shared",
                }))]));
            }
            if (answered)
            {
                var at = Stopwatch.GetTimestamp();
                var called = firstToolCall.GetOrAdd(marker, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
                // The call ran, in its container: its result is true's exit code, not a refusal or an engine's error.
                var result = messages.LastOrDefault(m => m?["role"]?.GetValue<string>() == "tool")?["content"]?.ToJsonString() ?? "";
                if (result.Contains("[exit code 0]", StringComparison.Ordinal)) called.TrySetResult(at);
                else called.TrySetException(new InvalidOperationException($"{marker}'s bash call did not run: {result}"));
                return Reply(TasksBench.Frame(new JsonObject { ["content"] = "ran it" }, "stop"));
            }
            return Reply(ToolCalls([("bash", new JsonObject { ["command"] = "true" })]));
        };

        var ended = new ConcurrentDictionary<string, TaskCompletionSource<AgentTask>>();
        var router = new RequestRouter();
        router.Add(Contract.TaskUpdated, (p, _) =>
        {
            if (p.Task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled or AgentTaskStatus.Paused)
                ended.GetOrAdd(p.Task.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(p.Task);
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.PermissionRequest, _ => new PermissionRequestResult { Decision = "allow" });
        await using var process = SidecarProcess.Start(targets.Sidecar, home, router);
        var peer = process.Peer;
        await peer.RequestAsync(Contract.Initialize, new InitializeParams
        {
            InitializationOptions = new InitializationOptions { PlueHome = home, VaultKey = Convert.ToBase64String(new byte[32]), WorkspaceFolders = [workspace], Trusted = true },
        });
        var instance = await peer.RequestAsync(Contract.InstancesCreate, new CreateInstanceParams
        {
            DisplayName = "Bench", CatalogProviderId = "openai", Endpoint = provider.Url + "/v1", ApiKey = "sk-bench",
        });
        await peer.RequestAsync(Contract.CodexCreate, new CodexDraft
        {
            TemplateId = "docker-engine", Title = EngineName, Fields = new JsonObject { ["connection"] = "host", ["host"] = engine.Host },
        });
        JsonObject Place() => new() { ["runs"] = "container", ["engine"] = EngineName, ["image"] = engine.Image, ["auto_approve"] = new JsonArray("bash") };
        var round = 0;

        // The task's whole life is waited for, its container gone, before the next round: rounds do not overlap.
        async Task Ended(string taskId)
        {
            var task = await ended.GetOrAdd(taskId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromMinutes(3)).ConfigureAwait(false);
            if (task.Status != AgentTaskStatus.Completed) throw new InvalidOperationException($"a bench task ended {task.Status}: {task.StatusReason}");
            for (var i = 0; (await client.ListAsync(TaskContainers.TaskLabel, taskId, CancellationToken.None).ConfigureAwait(false)).Count > 0; i++)
            {
                if (i > 100) throw new InvalidOperationException("a bench task's container was not removed within 10 s");
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        async Task<double> OneTask()
        {
            var marker = $"BENCH-ONE-{++round}";
            var called = firstToolCall.GetOrAdd(marker, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            var started = Stopwatch.GetTimestamp();
            var task = await peer.RequestAsync(Contract.TaskStart, new TaskStartParams
            {
                TemplateId = "task-code-writer", Title = marker, Prompt = $"{marker}: run true", ProviderRef = instance.Ref, ModelId = "gpt-5-mini", Fields = Place(),
            }).ConfigureAwait(false);
            var at = await called.Task.WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            await Ended(task.Id).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(started, at).TotalMilliseconds;
        }
        var rounds = targets.Rounds(20, 6);
        await figures.CompareEachAsync("task start → first tool call, in a container", "ms", rounds, 1, OneTask,
            [("docker run --rm image true", () => RunTrueAsync(client, engine.Image))]).ConfigureAwait(false);

        async Task<double> FanOutTree()
        {
            var marker = $"BENCH-FAN-{++round}";
            var children = Enumerable.Range(0, FanOut).Select(i => firstToolCall.GetOrAdd($"{marker}-{i}", _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
            var orchestrator = await peer.RequestAsync(Contract.TaskStart, new TaskStartParams
            {
                TemplateId = "task-orchestrator", Title = marker, Prompt = $"{marker}: fan out", ProviderRef = instance.Ref, ModelId = "gpt-5-mini",
                Fields = new JsonObject { ["runs"] = "container", ["engine"] = EngineName, ["image"] = engine.Image, ["concurrency"] = FanOut, ["max_spawned_tasks"] = FanOut },
            }).ConfigureAwait(false);
            var last = (await Task.WhenAll(children).WaitAsync(TimeSpan.FromMinutes(3)).ConfigureAwait(false)).Max();
            await Ended(orchestrator.Id).ConfigureAwait(false);
            foreach (var child in await peer.RequestAsync(Contract.TaskList, new TaskListParams { ParentId = orchestrator.Id }).ConfigureAwait(false))
                await Ended(child.Id).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(spawned[marker], last).TotalMilliseconds;
        }
        async Task<double> RunTrueAtOnce()
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, FanOut).Select(_ => RunTrueAsync(client, engine.Image))).ConfigureAwait(false);
            return clock.Elapsed.TotalMilliseconds;
        }
        await figures.CompareEachAsync($"{FanOut} sub-tasks at once → all first tool calls", "ms", targets.Rounds(8, 3), 1, FanOutTree,
            [($"{FanOut}× docker run --rm at once", RunTrueAtOnce)]).ConfigureAwait(false);
        figures.Note("containers: a task's start is task/start sent, its first tool call the provider reading its bash call's result (its container made and " +
            $"started, true exec'd in it); {FanOut} sub-tasks: from the orchestrator's spawn_task calls sent to the last sub-task's; docker run: create, start, " +
            "wait and remove through the Engine API; the bash call in process, in a running container made as a task's, beside the same call here (unsandboxed)");
    }

    internal static FakeResponse Reply(string frame) => FakeResponse.Stream("text/event-stream", [frame, TasksBench.Usage(), "data: [DONE]\n\n"]);

    internal static string ToolCalls(IReadOnlyList<(string Name, JsonObject Arguments)> calls) =>
        TasksBench.Frame(new JsonObject
        {
            ["tool_calls"] = new JsonArray([.. calls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["index"] = i, ["id"] = $"call_{i}", ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments.ToJsonString() },
            })]),
        }, "tool_calls");
}
