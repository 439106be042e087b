using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plue.Engines;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Fakes;

namespace Plue.Bench;

/// <summary>
/// Sub-tasks as jobs on a Docker Swarm (docs/CLUSTERS.md) of three engines on this machine
/// (<c>tests/support/docker-swarm.mjs start</c>: a manager and two workers, each worker in a network namespace of its
/// own, Debian's registry the nodes pull from), through the real sidecar against a loopback provider the namespaces
/// reach, each figure beside its floor:
/// <list type="bullet">
/// <item>sub-tasks per minute: an orchestrator's N sub-tasks (each writes a file and runs bash in its job), its
/// spawn_task calls sent to the last sub-task completed, beside N one-replica services running <c>true</c> created at
/// once until all complete;</item>
/// <item>a job's start: <c>task/start</c> to the provider reading the job's first model call, beside a one-replica
/// service running <c>true</c> created to its task's <c>complete</c> (the least a swarm job costs);</item>
/// <item>the sidecar's CPU and memory while it follows many jobs' logs (their bash sleeping), beside itself idle.</item>
/// </list>
/// Linux, root, dockerd, Debian's docker-registry and a Native AOT plue (the runner image carries it) only; elsewhere
/// one line says why.
/// </summary>
internal sealed partial class SwarmBench
{
    private const string EngineName = "Bench swarm";
    private const string BenchLabel = "plue.bench";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private readonly BenchTargets _targets;
    private readonly Swarm _swarm;
    private readonly EngineClient _client;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _firstCall = new();
    private readonly ConcurrentDictionary<string, long> _spawned = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(AgentTask Task, long At)>> _ended = new();
    private JsonRpcPeer _peer = null!;
    private string _instance = "";
    private string _runnerImage;
    private int _round;

    private SwarmBench(BenchTargets targets, Swarm swarm, EngineClient client)
    {
        _targets = targets;
        _swarm = swarm;
        _client = client;
        _runnerImage = swarm.Image;
    }

    private int FanOut => _targets.Rounds(12, 6);

    private sealed record Swarm(string Host, string Address, string Registry, string Image, string Dir, IReadOnlyList<string> Workers);

    public static async Task AddFiguresAsync(BenchTargets targets, Figures figures)
    {
        if (Missing(targets.Sidecar) is { } why)
        {
            Console.WriteLine($"swarm: no figure ({why})");
            return;
        }
        var repo = targets.Repo ?? Directory.GetCurrentDirectory();
        var swarm = await StartSwarmAsync(repo, Path.GetFullPath(targets.Sidecar)).ConfigureAwait(false);
        var root = Directory.CreateTempSubdirectory("plue-bench-swarm-").FullName;
        try
        {
            using var client = await EngineClient.ConnectAsync(EngineAddress.Host(swarm.Host), null, EngineName, CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine($"swarm: 3 engines (a manager and 2 workers in network namespaces of their own), Docker {client.Version.Version} (API {client.Version.ApiVersion}), vfs storage, registry {swarm.Registry}, base image {swarm.Image}");
            await new SwarmBench(targets, swarm, client).RunAsync(figures, root).ConfigureAwait(false);
        }
        finally
        {
            await NodeAsync(repo, "stop", swarm.Dir).ConfigureAwait(false);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Why the figures cannot be measured here, as the swarm suite skips; null when they can.</summary>
    private static string? Missing(string sidecar)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return "a swarm of test engines needs Linux and root (network namespaces, dockerd)";
        if (!(File.Exists("/usr/sbin/dockerd") || File.Exists("/usr/bin/dockerd")) || !File.Exists("/usr/bin/docker-registry"))
            return "no Docker engine or registry: install Debian's docker.io and docker-registry (bash scripts/install-tools.sh test)";
        return Path.GetFileName(sidecar) == "plue" && File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sidecar))!, "libe_sqlite3.so"))
            ? null : "the runner image needs the Native AOT plue for linux-x64 (scripts/bench.sh publishes it)";
    }

    /// <summary>The suites' swarm (<c>docker-swarm.mjs start</c>, one JSON line), its runner base image pushed.</summary>
    private static async Task<Swarm> StartSwarmAsync(string repo, string runner)
    {
        // Its engines' mounts apart from this machine's: the sidecar's sandboxed git (bwrap binding /) fails when a
        // job's mount vanishes while it binds.
        var line = await NodeAsync(repo, "start", "--runner", runner, "--own-mounts").ConfigureAwait(false);
        var json = JsonNode.Parse(line.Trim().Split('\n')[^1])!;
        return new Swarm(json["host"]!.GetValue<string>(), json["address"]!.GetValue<string>(), json["registry"]!.GetValue<string>(),
            json["image"]!.GetValue<string>(), json["dir"]!.GetValue<string>(), [.. json["workers"]!.AsArray().Select(w => w!["host"]!.GetValue<string>())]);
    }

    private static async Task<string> NodeAsync(string repo, params string[] args)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = repo };
        start.ArgumentList.Add(Path.Combine(repo, "tests/support/docker-swarm.mjs"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // Its own addresses: a swarm suite running meanwhile on the default subnet is left alone.
        start.Environment["PLUE_TEST_SWARM_SUBNET"] = Environment.GetEnvironmentVariable("PLUE_BENCH_SWARM_SUBNET") ?? "192.168.247";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker-swarm.mjs {string.Join(' ', args)} failed ({process.ExitCode})");
        return output;
    }

    private async Task RunAsync(Figures figures, string root)
    {
        var workspace = Directory.CreateDirectory(Path.Combine(root, "ws")).FullName;
        Git(workspace, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(workspace, "README.md"), "bench\n");
        Git(workspace, "add", ".");
        Git(workspace, "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "start");
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        await using var provider = new LoopbackHttpServer(IPAddress.Parse(_swarm.Address));
        provider.Handler = Answer;
        await using var sidecar = SidecarProcess.Start(_targets.Sidecar, [], home, Router(), "Warning", Framing.Lsp,
            new Dictionary<string, string> { ["PLUE_RUNNER_BINARY"] = Path.GetFullPath(_targets.Sidecar) });
        _peer = sidecar.Peer;
        await SetUpAsync(home, workspace, provider.Url).ConfigureAwait(false);
        await StartFigureAsync(figures).ConfigureAwait(false);
        await FanOutFigureAsync(figures).ConfigureAwait(false);
        await FollowFigureAsync(figures, sidecar.Id).ConfigureAwait(false);
        figures.Note("swarm: a job's start is task/start sent to the loopback provider reading the job's first model call (its worktree bundled, " +
            "its key a secret, its bundle configs, its service placed and its container started on a node); sub-tasks per minute: from the " +
            "orchestrator's spawn_task calls answered to the last sub-task completed (its work fetched back); the floors: one-replica services " +
            "running true (restart none) on the runner image through the Engine API, created to their tasks' complete (polled every 100 ms); sub-tasks per minute is a rate: a ratio below 1× is slower than the floor");
    }

    private static void Git(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        git.WaitForExit();
        if (git.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({git.ExitCode})");
    }

    private RequestRouter Router()
    {
        var router = new RequestRouter();
        router.Add(Contract.TaskUpdated, (p, _) =>
        {
            if (p.Task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled or AgentTaskStatus.Paused)
                Ended(p.Task.Id).TrySetResult((p.Task, Stopwatch.GetTimestamp()));
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.PermissionRequest, _ => new PermissionRequestResult { Decision = "allow" });
        return router;
    }

    private TaskCompletionSource<(AgentTask Task, long At)> Ended(string taskId) =>
        _ended.GetOrAdd(taskId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource<long> FirstCall(string marker) =>
        _firstCall.GetOrAdd(marker, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task SetUpAsync(string home, string workspace, string providerUrl)
    {
        await _peer.RequestAsync(Contract.Initialize, new InitializeParams
        {
            InitializationOptions = new InitializationOptions { PlueHome = home, VaultKey = Convert.ToBase64String(new byte[32]), WorkspaceFolders = [workspace], Trusted = true },
        }).ConfigureAwait(false);
        var instance = await _peer.RequestAsync(Contract.InstancesCreate, new CreateInstanceParams
        {
            DisplayName = "Bench", CatalogProviderId = "openai", Endpoint = providerUrl + "/v1", ApiKey = "sk-bench-swarm",
        }).ConfigureAwait(false);
        _instance = instance.Ref;
        await _peer.RequestAsync(Contract.CodexCreate, new CodexDraft
        {
            TemplateId = "docker-engine", Title = EngineName,
            Fields = new JsonObject { ["connection"] = "host", ["host"] = _swarm.Host, ["swarm"] = true, ["registry"] = _swarm.Registry },
        }).ConfigureAwait(false);
    }

    /// <summary>A task's place: a job on the bench's swarm, its bash and writes run without asking, time enough to be placed under load.</summary>
    private JsonObject Place(JsonObject? more = null)
    {
        var fields = new JsonObject
        {
            ["runs"] = "container", ["engine"] = EngineName, ["image"] = _swarm.Image, ["auto_approve"] = new JsonArray("write", "bash"), ["start_limit_s"] = 600,
        };
        foreach (var (key, value) in more ?? []) fields[key] = value?.DeepClone();
        return fields;
    }

    [GeneratedRegex(@"BENCH-[A-Z]+-\d+(-\d+)?")]
    private static partial Regex Marker();

    /// <summary>
    /// The loopback provider: an orchestrator (BENCH-FAN-r) spawns its sub-tasks; a holder (BENCH-HOLD-n) sleeps in bash;
    /// any other task writes a file and runs bash on it, then answers. Each marker's first request is stamped.
    /// </summary>
    private FakeResponse Answer(RecordedRequest request)
    {
        var at = Stopwatch.GetTimestamp();
        var messages = JsonNode.Parse(request.Body)?["messages"]?.AsArray() ?? [];
        var goal = messages.FirstOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"]?.ToJsonString() ?? "";
        var marker = Marker().Match(goal).Value;
        var answered = messages.Any(m => m?["role"]?.GetValue<string>() == "assistant");
        FirstCall(marker).TrySetResult(at);
        if (answered) return ContainerBench.Reply(TasksBench.Frame(new JsonObject { ["content"] = "done" }, "stop"));
        if (marker.StartsWith("BENCH-FAN-", StringComparison.Ordinal) && marker.Count(c => c == '-') == 2)
        {
            _spawned[marker] = Stopwatch.GetTimestamp();
            return ContainerBench.Reply(ContainerBench.ToolCalls([.. Enumerable.Range(0, FanOut).Select(i => ("spawn_task", new JsonObject
            {
                ["template"] = "task-code-writer", ["title"] = $"Writer {i}", ["goal"] = $"{marker}-{i}: write a file and run bash",
            }))]));
        }
        if (marker.StartsWith("BENCH-HOLD-", StringComparison.Ordinal))
            return ContainerBench.Reply(ContainerBench.ToolCalls([("bash", new JsonObject { ["command"] = "sleep 600" })]));
        return ContainerBench.Reply(ContainerBench.ToolCalls([
            ("write", new JsonObject { ["path"] = "out.txt", ["content"] = $"written by {marker}\n" }),
            ("bash", new JsonObject { ["command"] = "cat out.txt" })]));
    }

    /// <summary>A task's end, which must be completed; its runner image noted (the floors run on it).</summary>
    private async Task<long> CompletedAsync(string taskId)
    {
        var (task, at) = await Ended(taskId).Task.WaitAsync(Long).ConfigureAwait(false);
        if (task.Status != AgentTaskStatus.Completed) throw new InvalidOperationException($"a bench task ended {task.Status}: {task.StatusReason}");
        if (task.Container?.Image is { Length: > 0 } image) _runnerImage = image;
        return at;
    }

    private Task<AgentTask> StartTaskAsync(string template, string marker, JsonObject fields) =>
        _peer.RequestAsync(Contract.TaskStart, new TaskStartParams
        {
            TemplateId = template, Title = marker, Prompt = $"{marker}: go", ProviderRef = _instance, ModelId = "gpt-5-mini", Fields = fields,
        });
}
