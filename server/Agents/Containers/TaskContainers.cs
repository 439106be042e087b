using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Checkpoints;
using Plue.Codex.Records;
using Plue.Engines;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents.Containers;

/// <summary>
/// Tasks that run in a container (docs/CONTAINERS.md): where a task runs (<c>runs</c>, inherited and only narrowed by
/// sub-tasks), its engine, the container each run of it gets (<see cref="StartAsync"/>) and its end: removed when the
/// run ends however it ends, a container that died failing its task with the reason, and at start the containers of
/// this Plue home that no live sidecar owns removed (<see cref="SweepAsync"/>). Every container is labelled with its
/// task, its tree's root task, a hash of the Plue home and the sidecar that made it.
/// </summary>
public sealed partial class TaskContainers(EngineService engines, TaskRecords records, WorkspaceContext session, LiveTasks live, ILogger<TaskContainers> logger)
{
    public const string Local = "local";
    public const string InContainer = "container";
    public const string TaskLabel = EngineClient.TaskLabel;
    public const string TreeLabel = "plue.tree";
    public const string HomeLabel = "plue.home";
    public const string OwnerLabel = "plue.owner";

    public const string RunsOwnTools =
        "Claude Code and ACP agents run their own tools on this machine, so Plue cannot run them in a container yet: set the task's Runs to local, or give it a provider whose model Plue runs the tools for";

    private readonly ConcurrentDictionary<string, TaskContainer> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskContainerInfo> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _died = new(StringComparer.Ordinal);
    /// <summary>One devcontainer build at a time: sub-tasks that start together wait for the first's image.</summary>
    private readonly SemaphoreSlim _building = new(1, 1);

    /// <summary>
    /// Where a task's commands run, for its approval card ("Runs in its container on Build box (no network)"): a
    /// phrase starting "in ", which the card tells from a sandbox policy's name.
    /// </summary>
    public static string RunsIn(TaskContainerInfo c) => c.Swarm
        ? $"in its job's container on a node of the swarm {c.Engine}, not this machine's sandbox"
        : $"in its container on {c.Engine} ({c.Network switch { "none" => "no network", "allow-list" => "only the sandbox's allowed hosts", _ => "the engine's own network" }})";

    public static string NoEngine(string name) => $"There is no engine called '{name}': add one with Plue: Add Docker Engine or `plue engines add`.";

    /// <summary>Whether the task runs in a container: its own choice, or any ancestor's (a container tree's sub-task cannot run local).</summary>
    public bool InContainerTree(CodexRecord task) =>
        records.Ancestors(task).Prepend(task).Any(t => TaskRecordFields.Of(t.Fields).Runs == InContainer);

    /// <summary>Whether the task's engine (its own choice or its tree's) is a swarm's manager, whose sub-tasks run as jobs.</summary>
    public bool OnSwarm(CodexRecord task)
    {
        if (!InContainerTree(task)) return false;
        try
        {
            return Engine(TaskRecordFields.Of(task.Fields).Engine) is { } record && EngineRecordFields.Of(record.Fields).IsSwarm;
        }
        catch (RpcException)
        {
            return false; // no such engine: refused when the run starts
        }
    }

    /// <summary>What the tree shows of a task's place that is not a container of this class's (a swarm job): kept until its next run.</summary>
    public void Tell(string taskId, TaskContainerInfo info) => _last[taskId] = info;

    /// <summary>The engine field's error, when it names an engine that is not there.</summary>
    public string? CheckEngine(string? engine) => string.IsNullOrWhiteSpace(engine) || engines.Find(engine.Trim()) is not null ? null : NoEngine(engine.Trim());

    /// <summary>
    /// A sub-task's container choice, made from its parent's: under a parent in a container it runs in one too, on the
    /// same engine, in the parent's image unless it names its own, and within the parent's CPU, memory and process
    /// limits. Refused (with what to do) when it asks to run local or on another engine.
    /// </summary>
    public void Narrow(CodexRecord parent, JsonObject fields)
    {
        var own = TaskRecordFields.Of(fields);
        if (!string.IsNullOrWhiteSpace(own.Engine) && CheckEngine(own.Engine) is { } missing) throw RpcException.InvalidParams(missing);
        if (!InContainerTree(parent)) return;
        if (own.Runs == Local)
            throw RpcException.InvalidParams($"'{parent.Title}' runs in a container, so its sub-tasks do too: leave runs out, or set it to container");
        var theirs = TaskRecordFields.Of(parent.Fields);
        if (!string.IsNullOrWhiteSpace(own.Engine) && engines.Find(own.Engine.Trim())?.Id != Engine(theirs.Engine)?.Id)
            throw RpcException.InvalidParams($"'{parent.Title}' runs on {EngineName(theirs.Engine)}, so its sub-tasks do too: leave engine out");
        fields[TaskFields.Runs] = InContainer;
        fields[TaskFields.Engine] = theirs.Engine;
        if (string.IsNullOrWhiteSpace(own.Image)) fields[TaskFields.Image] = theirs.Image;
        fields[TaskFields.Cpus] = TaskPlacement.Min(own.Cpus, theirs.Cpus);
        fields[TaskFields.MemoryMb] = TaskPlacement.Min(own.MemoryMb, theirs.MemoryMb);
        fields[TaskFields.Pids] = TaskPlacement.Min(own.Pids, theirs.Pids);
        TaskPlacement.Narrow(theirs, own, fields);
    }

    /// <summary>The engine record a task's <c>engine</c> names; empty: the first engine on this machine; null: this machine's own engine (no record).</summary>
    public CodexRecord? Engine(string? named)
    {
        if (!string.IsNullOrWhiteSpace(named)) return engines.Find(named.Trim()) ?? throw RpcException.InvalidParams(NoEngine(named.Trim()));
        return engines.Records().FirstOrDefault(r => EngineRecordFields.Of(r.Fields).Connection is null or EngineRecordFields.Local);
    }

    private string EngineName(string? named) => Engine(named)?.Title ?? EngineService.ThisMachine;

    /// <summary>
    /// Makes and starts the run's container: <paramref name="folder"/> bound at the same path and its working folder,
    /// the task's limits, the network its sandbox <paramref name="policy"/> allows (<see cref="ContainerNetwork"/>), a
    /// non-root user, nothing of the sidecar's environment, labelled as its task's.
    /// </summary>
    public async Task<TaskContainer> StartAsync(CodexRecord task, string folder, TaskWorktree? worktree, Sandbox.SandboxPolicy policy, CancellationToken cancellationToken)
    {
        _died.TryRemove(task.Id, out _);
        var fields = TaskRecordFields.Of(task.Fields);
        var record = Engine(fields.Engine);
        var image = ContainerImage.For(fields.Image, session.Folders.FirstOrDefault());
        var info = new TaskContainerInfo
        {
            Engine = record?.Title ?? EngineService.ThisMachine, EngineId = record?.Id ?? "", Image = image,
            Cpus = fields.Cpus, MemoryMb = fields.MemoryMb, Pids = fields.Pids, Network = "none", State = "starting",
        };
        _last[task.Id] = info;
        var client = record is null ? await engines.ConnectThisMachineAsync(cancellationToken).ConfigureAwait(false)
            : await engines.ConnectAsync(record, cancellationToken).ConfigureAwait(false);
        var user = ContainerUser.Of(folder);
        var network = ContainerNetwork.For(policy, client.OnThisMachine, user);
        if (network.Why is { } why) LogNoNetwork(task.Id, why);
        info = info with { Network = network.Mode };
        _last[task.Id] = info;
        string id;
        try
        {
            var spec = Spec(task, folder, image, user, fields, network);
            if (!client.OnThisMachine)
            {
                spec = Remote(spec, worktree ?? throw new EngineException(NeedsWorktree + ".", EngineFix.Address), record);
                info = info with { Network = RemoteNetwork(record) };
            }
            await ContainerImage.EnsureBuiltAsync(client, image, session.Folders.FirstOrDefault(), _building, cancellationToken).ConfigureAwait(false);
            ContainersMade.Mark(session.Home);
            id = await client.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            network.Dispose();
            _last[task.Id] = info with { State = "failed" };
            throw;
        }
        var container = new TaskContainer(client, id, folder, user, info with { ShortId = id[..12] }, network);
        _running[task.Id] = container;
        await client.StartAsync(id, cancellationToken).ConfigureAwait(false);
        if (!client.OnThisMachine) await SendInAsync(task.Id, container, worktree!, image, cancellationToken).ConfigureAwait(false);
        container.Info = container.Info with { State = "running" };
        _last[task.Id] = container.Info;
        _ = WatchAsync(task.Id, container);
        return container;
    }

    /// <summary>The run's container: its folder at the same path, its limits, its network, labelled as its task's.</summary>
    private ContainerSpec Spec(CodexRecord task, string folder, string image, string user, TaskRecordFields fields, ContainerNetwork network) => new()
    {
        Image = image,
        Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"],
        User = user,
        WorkingDir = folder,
        Env = TaskContainer.Environment,
        Labels = new Dictionary<string, string>
        {
            [TaskLabel] = task.Id, [TreeLabel] = records.Ancestors(task).LastOrDefault()?.Id ?? task.Id,
            [HomeLabel] = HomeHash(session.Home), [OwnerLabel] = TranscriptOwner.Current,
        },
        Binds = [(folder, folder, false), .. network.Binds],
        Network = network.DockerMode,
        Cpus = fields.Cpus, MemoryMb = fields.MemoryMb, Pids = fields.Pids,
        Confined = true,
    };

    /// <summary>The run ended (done, failed, cancelled, paused at a cap): its container goes at once.</summary>
    public async Task EndAsync(string taskId)
    {
        if (!_running.TryRemove(taskId, out var container)) return;
        await BringBackAsync(taskId, container).ConfigureAwait(false);
        container.Removing = true;
        try
        {
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await container.Client.RemoveAsync(container.Id, within.Token).ConfigureAwait(false);
            _last[taskId] = container.Info.State == "failed" ? container.Info : container.Info with { State = "removed" };
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException)
        {
            LogRemoveFailed(taskId, e.Message);
        }
        finally
        {
            container.Dispose();
        }
    }

    /// <summary>
    /// A spend cap reached in <paramref name="holderId"/>'s subtree: the containers of its running tasks (its own too)
    /// are stopped at once, each command running in one ended with <paramref name="why"/> and its processes removed with
    /// it, rather than waiting for the tasks' next model calls to pause them.
    /// </summary>
    public Task StopUnderAsync(string holderId, string why)
    {
        var under = _running.Keys.Where(id => id == holderId || records.Find(id) is { } task && records.Ancestors(task).Any(a => a.Id == holderId)).ToList();
        foreach (var id in under)
            if (_running.TryGetValue(id, out var container)) container.Stop(why);
        return Task.WhenAll(under.Select(EndAsync));
    }

    /// <summary>The container the task's run has now; null when it runs in none (or its run ended).</summary>
    public TaskContainer? Running(string taskId) => _running.GetValueOrDefault(taskId);

    /// <summary>Why the task's container died under it (out of memory, stopped by someone); null when it did not.</summary>
    public string? DiedWhy(string taskId) => _died.GetValueOrDefault(taskId);

    /// <summary>What the tree shows of a task in a container: its live container, else what its last one was.</summary>
    public TaskContainerInfo? Info(CodexRecord task)
    {
        if (_running.TryGetValue(task.Id, out var running)) return running.Info;
        if (_last.TryGetValue(task.Id, out var last)) return last;
        if (!InContainerTree(task)) return null;
        var fields = TaskRecordFields.Of(task.Fields);
        CodexRecord? record;
        try
        {
            record = Engine(fields.Engine);
        }
        catch (RpcException)
        {
            record = null;
        }
        return new TaskContainerInfo
        {
            Engine = record?.Title ?? (string.IsNullOrWhiteSpace(fields.Engine) ? EngineService.ThisMachine : fields.Engine), EngineId = record?.Id ?? "",
            Image = ContainerImage.For(fields.Image, session.Folders.FirstOrDefault()),
            Cpus = fields.Cpus, MemoryMb = fields.MemoryMb, Pids = fields.Pids, Network = "none",
            State = TaskStatuses.IsLive(task.Status) ? "starting" : "removed",
        };
    }

    /// <summary>
    /// Removes the containers of this Plue home that no live sidecar's running task owns: those a sidecar killed
    /// (or crashed) left behind. Run at start on every engine Plue knows, once this home has made a container (<see
    /// cref="ContainersMade"/>); an engine that cannot be reached is skipped.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (!ContainersMade.In(session.Home)) return;
        foreach (var (name, connect) in Engines())
        {
            try
            {
                using var client = await connect(cancellationToken).ConfigureAwait(false);
                foreach (var entry in await client.ListAsync(HomeLabel, HomeHash(session.Home), cancellationToken).ConfigureAwait(false))
                {
                    if (Owned(entry)) continue;
                    await client.RemoveAsync(entry.Id, cancellationToken).ConfigureAwait(false);
                    LogSwept(entry.Labels.GetValueOrDefault(TaskLabel) ?? "?", name);
                }
            }
            catch (EngineException e)
            {
                LogSweepSkipped(name, e.Message);
            }
        }
    }

    /// <summary>A deleted task's containers go with it, on every engine Plue knows.</summary>
    public async Task RemoveAllAsync(string taskId, CancellationToken cancellationToken)
    {
        await EndAsync(taskId).ConfigureAwait(false);
        foreach (var (name, connect) in Engines())
        {
            try
            {
                using var client = await connect(cancellationToken).ConfigureAwait(false);
                foreach (var entry in await client.ListAsync(TaskLabel, taskId, cancellationToken).ConfigureAwait(false))
                    if (entry.Labels.GetValueOrDefault(HomeLabel) == HomeHash(session.Home)) await client.RemoveAsync(entry.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineException e)
            {
                LogSweepSkipped(name, e.Message);
            }
        }
    }

    /// <summary>The Plue home as a label: a hash, so the home's path is not written on the engine.</summary>
    public static string HomeHash(string home) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(home))))[..16];

    /// <summary>A container a live run owns: this sidecar's running task's, or another live sidecar's.</summary>
    private bool Owned(ContainerEntry entry)
    {
        // A swarm job's container is its service's: the job is re-attached (or removed) with its service, never here.
        if (entry.Labels.ContainsKey("com.docker.swarm.service.id")) return true;
        var owner = entry.Labels.GetValueOrDefault(OwnerLabel);
        if (owner == TranscriptOwner.Current) return entry.Labels.GetValueOrDefault(TaskLabel) is { } task && _running.TryGetValue(task, out var c) && c.Id == entry.Id;
        return owner is not null && TranscriptOwner.IsAlive(owner, session.Home);
    }

    private IEnumerable<(string Name, Func<CancellationToken, Task<EngineClient>> Connect)> Engines() =>
        engines.Records().Select(r => (r.Title, (Func<CancellationToken, Task<EngineClient>>)(ct => engines.ConnectAsync(r, ct))))
            .Append((EngineService.ThisMachine, engines.ConnectThisMachineAsync));

    /// <summary>Waits on the container; one that stops while its run goes on fails the task with why, in the user's words.</summary>
    private async Task WatchAsync(string taskId, TaskContainer container)
    {
        ContainerStop stop;
        try
        {
            stop = await container.Client.WaitAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException or ObjectDisposedException)
        {
            stop = new ContainerStop(-1, false);
        }
        if (container.Removing) return;
        var why = stop.OutOfMemory
            ? $"Its container ran out of memory (its limit is {container.Info.MemoryMb} MiB) and was stopped: raise memory_mb, or have it do less at once, and resume it"
            : $"Its container stopped under it (exit code {stop.ExitCode}: it was stopped or killed, or its engine restarted): resume it to go on in a new container";
        _died[taskId] = why;
        container.Info = container.Info with { State = "failed", Reason = why };
        _last[taskId] = container.Info;
        live.Find(taskId)?.Cancel();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: its container has no network ({Reason})")]
    private partial void LogNoNetwork(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its container could not be removed ({Reason})")]
    private partial void LogRemoveFailed(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the container task {TaskId} left on {Engine}")]
    private partial void LogSwept(string taskId, string engine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Containers on {Engine} not looked at: {Reason}")]
    private partial void LogSweepSkipped(string engine, string reason);
}
