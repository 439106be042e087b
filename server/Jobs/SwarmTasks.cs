using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Agents;
using Plue.Agents.Containers;
using Plue.Checkpoints;
using Plue.Codex.Kinds;
using Plue.Engines;
using Plue.Instances;
using Plue.Outbound;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Jobs;

/// <summary>
/// The host side of a sub-task run as a swarm job (docs/CLUSTERS.md): its worktree made here and sent in as a git
/// bundle, its task bundle and key given to the swarm (configs and a secret made for the job), the runner image built
/// and pushed once, the job followed through the service's logs (its transcript, tool calls and cost mirrored into
/// the task as they come, <see cref="SwarmJob"/>), its work fetched back into the worktree as the task's changes to
/// review and merge, and everything the job was given removed when it ends, however it ends.
/// </summary>
public sealed partial class SwarmTasks(
    EngineService engines,
    TaskContainers containers,
    TaskRecords records,
    TaskEvents events,
    TaskGrants grants,
    SpendCaps caps,
    MessageStore messages,
    TranscriptEvents transcript,
    InstanceResolver instances,
    Agents.Tools.Approvals.ToolApprovals approvals,
    TaskWorktrees worktrees,
    WorkspaceContext session,
    ILogger<SwarmTasks> logger) : ISwarmTasks
{
    /// <summary>How long a job may wait for a node before its sub-task ends with the swarm's reason, unless its <c>start_limit_s</c> says.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private const string BundleFolder = "/plue/bundle";
    private const string KeyName = "plue-key";
    /// <summary>The job's starting point in its worktree (a ref of that worktree's own), kept to bring its work back onto.</summary>
    private const string StartRef = "refs/worktree/plue-job-start";
    /// <summary>The job service's label holding its starting point's commit, for a restarted sidecar to bring its work back onto.</summary>
    private const string StartLabel = "plue.start";

    /// <summary>Each running job's stop, by task: a spend cap reached in a tree stops the jobs under its holder at once.</summary>
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim s_git = new(1, 1);
    /// <summary>Each tree's jobs at once, where it sets max_jobs (by the tree's root).</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _jobSlots = new(StringComparer.Ordinal);

    public bool RunsAsJob(CodexRecord task) =>
        containers.OnSwarm(task) && !grants.For(task, claudeCode: false, (_, _) => { }).Allowed.Contains(SpawnTaskTool.ToolName);

    public async Task<TaskEnd> RunAsync(TaskRun run, CodexRecord task, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _running[task.Id] = stop;
        // In the Plue home, not the temp folder: what a killed sidecar leaves there is cleared by the task's next run.
        var scratch = Path.Combine(session.Home, "swarm-jobs", new string([.. task.Id.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]));
        TryDelete(scratch);
        Directory.CreateDirectory(scratch);
        // max_jobs: the tree's jobs at once on the swarm; the rest stay queued here, holding no node.
        var slot = TaskRecordFields.Of(task.Fields).MaxJobs is { } max ? _jobSlots.GetOrAdd(Labels(task)[TaskContainers.TreeLabel], _ => new SemaphoreSlim(max)) : null;
        var acquired = false;
        try
        {
            if (slot is not null) await slot.WaitAsync(stop.Token).ConfigureAwait(false);
            acquired = slot is not null;
            return await RunJobAsync(run, task, scratch, stop).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            return await EndShortAsync(task.Id, TaskEnd.Failed(e.Message.TrimEnd('.')), "failed").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stop.IsCancellationRequested)
        {
            // Stopped here, not by the task's own interrupt: a spend cap its tree reached.
            var reached = caps.Find(records.Get(task.Id));
            return await EndShortAsync(task.Id, new TaskEnd(TaskStatuses.Paused, reached is null ? "Stopped: its tree's spend cap was reached" : CapReason(reached)), "stopped").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The task's own interrupt: its job went with its service.
            await EndShortAsync(task.Id, new TaskEnd(TaskStatuses.Cancelled, null), "removed").ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (acquired) slot!.Release();
            _running.TryRemove(task.Id, out _);
            TryDelete(scratch);
        }
    }

    private async Task<TaskEnd> RunJobAsync(TaskRun run, CodexRecord task, string scratch, CancellationTokenSource stop)
    {
        var token = stop.Token;
        var fields = TaskRecordFields.Of(task.Fields);
        var engine = containers.Engine(fields.Engine) ?? throw RpcException.InvalidParams(TaskContainers.NoEngine(fields.Engine ?? ""));
        var registry = EngineRecordFields.Of(engine.Fields).Registry
            ?? throw RpcException.InvalidParams($"{engine.Title} is a swarm with no registry: set the registry its nodes pull from.");
        var connection = instances.Resolve(records.InstanceId(task));
        if (connection.CliPath is not null || connection.Endpoint is null)
            throw RpcException.InvalidParams($"A sub-task on {engine.Title} runs its own turns in a job, which speaks to the model over HTTP: give it a model of an HTTP provider, not {connection.InstanceName}.");
        var image = ContainerImage.For(fields.Image, session.Folders.FirstOrDefault());
        var info = new TaskContainerInfo { Engine = engine.Title, EngineId = engine.Id, Image = image, Cpus = fields.Cpus, MemoryMb = fields.MemoryMb, Network = "engine", State = "starting", Swarm = true };
        containers.Tell(task.Id, info);
        await events.MarkRunningAsync(run).ConfigureAwait(false);

        using var client = await engines.ConnectAsync(engine, token).ConfigureAwait(false);
        var swarm = await client.SwarmOverviewAsync(token).ConfigureAwait(false);
        if (!swarm.Manager) throw EngineService.NoManager(swarm, engine.Title);
        var placed = info;
        // A sidecar that stopped (killed, even) while the job ran: its service is followed again, not started twice.
        if (await AttachedAsync(client, task, token).ConfigureAwait(false) is { } running && running.Labels.GetValueOrDefault(StartLabel) is { Length: > 0 } from)
        {
            var job = NewJob(task, fields, stop, seedCosts: false);
            var end = await Run(client, job, new JobBundle(JobTaskFor(task, connection, fields), "", []), task, placed, fields).AttachAsync(running.Id, token).ConfigureAwait(false);
            return await EndAsync(task, from, job, end, placed, scratch, token).ConfigureAwait(false);
        }
        var (_, start) = await GitOneAtATimeAsync(async () =>
        {
            var made = await WorktreeAsync(task, token).ConfigureAwait(false);
            return (made, await StartBundleAsync(made, Path.Combine(scratch, "start.bundle"), token).ConfigureAwait(false));
        }, token).ConfigureAwait(false);
        var runner = await RunnerImageAsync(client, registry, image, swarm, fields, token).ConfigureAwait(false);
        var bundle = new JobBundle(JobTaskFor(task, connection, fields), Path.Combine(scratch, "start.bundle"), []);
        var at = new JobPlace(client, connection.ApiKey ?? "", fields, stop, scratch, start);
        return await JobsAsync(run, task, at, bundle, info with { Image = runner.Image }, Spec(task, fields, runner)).ConfigureAwait(false);
    }

    /// <summary>
    /// The task's jobs until one ends it: again on another node when its node is lost (once), and again from the state
    /// it sent when its rules would ask the user.
    /// </summary>
    private async Task<TaskEnd> JobsAsync(TaskRun run, CodexRecord task, JobPlace at, JobBundle bundle, TaskContainerInfo placed, SwarmJobSpec spec)
    {
        var (client, fields, stop, start, token) = (at.Client, at.Fields, at.Stop, at.Start, at.Stop.Token);
        var retried = false;
        for (;;)
        {
            var job = NewJob(task, fields, stop, seedCosts: true);
            var firstSeq = messages.NextSeq(task.Id);
            var end = await Run(client, job, bundle, task, placed, fields)
                .RunAsync(at.Key, spec with { Name = Name(task), Labels = new Dictionary<string, string> { [StartLabel] = start } }, token).ConfigureAwait(false);
            // Its node went away: run once more, on another node, from the state it last sent (its start, or the state it paused with).
            if (end is { Status: JobEnd.Lost, Node: { } lostNode } && !retried)
            {
                retried = true;
                placed = await RetryAsync(task, job, firstSeq, end, placed).ConfigureAwait(false);
                spec = spec with { Constraints = [.. spec.Constraints, $"node.id!={lostNode}"] };
                continue;
            }
            // A call its rules would ask about: the user is asked here, and a new job goes on from the state it sent.
            if (end.Status == TaskStatuses.WaitingApproval && await AnswerAsync(run, task, job, bundle, token).ConfigureAwait(false) is { } resumed)
            {
                bundle = resumed;
                continue;
            }
            return await EndAsync(task, start, job, end, placed, at.Scratch, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One git change at a time in the repository: a fetch checks every worktree's HEAD, and a sibling's worktree being
    /// made meanwhile is not a valid one yet ("bad object").
    /// </summary>
    private static async Task<T> GitOneAtATimeAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await s_git.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await change().ConfigureAwait(false);
        }
        finally
        {
            s_git.Release();
        }
    }

    /// <summary>
    /// A lost attempt put aside: its part of the transcript hidden (the retry starts from its state again, so its work is
    /// not counted twice; its cost stays spent) and what it cost told apart in the tree.
    /// </summary>
    private async Task<TaskContainerInfo> RetryAsync(CodexRecord task, SwarmJob job, int firstSeq, JobEnd end, TaskContainerInfo placed)
    {
        messages.Supersede(task.Id, firstSeq);
        var lost = job.CostUsd;
        var told = placed with
        {
            State = "starting",
            LostCostUsd = (placed.LostCostUsd ?? 0) + lost,
            Retried = $"Ran again on another node: {end.Error}; the lost attempt cost ${lost.ToString("0.00####", CultureInfo.InvariantCulture)}",
        };
        containers.Tell(task.Id, told);
        await events.ChangedAsync(task.Id).ConfigureAwait(false);
        LogRetried(task.Id, end.Error ?? "");
        return told;
    }

    private SwarmJob NewJob(CodexRecord task, TaskRecordFields fields, CancellationTokenSource stop, bool seedCosts) =>
        new(task.Id, messages, transcript, events, records.InstanceId(task), fields.ModelId, seedCosts) { CostMoved = () => OnCost(task.Id, stop) };

    private SwarmJobRun Run(EngineClient client, SwarmJob job, JobBundle bundle, CodexRecord task, TaskContainerInfo placed, TaskRecordFields fields) =>
        new(client, job, bundle, Labels(task), fields.StartLimitS is { } seconds ? TimeSpan.FromSeconds(seconds) : StartLimit,
            (swarmTask, state) => Told(task.Id, placed, swarmTask, state), logger);

    /// <summary>The service of the task's job this Plue home started and that still runs, or ended unread: a sidecar stopped while it ran.</summary>
    private async Task<SwarmServiceEntry?> AttachedAsync(EngineClient client, CodexRecord task, CancellationToken cancellationToken)
    {
        var home = TaskContainers.HomeHash(session.Home);
        return (await client.ServicesByLabelAsync($"{TaskContainers.TaskLabel}={task.Id}", cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(s => s.Labels.GetValueOrDefault(TaskContainers.HomeLabel) == home);
    }

    /// <summary>
    /// A job that stopped at a call its rules would ask about: the user is asked as for any task's call (the task waits
    /// for approval meanwhile, and no job holds a node), and the answer goes with the state the job sent into the next
    /// job's bundle. Null when the job sent no state to go on from.
    /// </summary>
    private async Task<JobBundle?> AnswerAsync(TaskRun run, CodexRecord task, SwarmJob job, JobBundle bundle, CancellationToken cancellationToken)
    {
        if (job.Waiting is not { } waiting || job.Bundle("state") is not { } state || job.Bundle("transcript") is not { } saved) return null;
        var call = JsonSerializer.Deserialize(saved, PlueJsonContext.Default.IReadOnlyListSessionMessage)?.SelectMany(m => m.Parts).OfType<ToolUsePart>()
            .LastOrDefault(p => (p.ToolCallId ?? p.Id) == waiting.CallId || p.Name == waiting.Tool);
        var input = JsonSerializer.SerializeToElement(call?.Input ?? new JsonObject(), PlueJsonContext.Default.JsonNode);
        var grant = grants.For(task, claudeCode: false, (asking, pending) =>
        {
            run.Pending = asking ? pending : null;
            run.Status = asking ? TaskStatuses.WaitingApproval : TaskStatuses.Running;
            _ = events.ChangedAsync(task.Id);
        });
        var place = containers.Info(task);
        if (place is not null)
        {
            // No job runs while the user is asked: the place says so until the answer starts the next.
            containers.Tell(task.Id, place with { State = "waiting" });
            grant = grant with { RunsIn = TaskContainers.RunsIn(place) };
        }
        var outcome = await approvals.RequestAsync(grant, waiting.Tool, input, "Its job on the swarm stopped here to ask you", cancellationToken).ConfigureAwait(false);
        if (place is not null) containers.Tell(task.Id, place with { State = "starting" });
        var resume = new JobResume { Transcript = "transcript.json", State = "state.bundle", Answer = outcome.Allowed ? "allow" : "deny" };
        return bundle with { Task = bundle.Task with { Resume = resume }, Extra = [("transcript.json", saved), ("state.bundle", state)] };
    }

    /// <summary>How the job ended, as the task's end: its work fetched into the worktree when it completed.</summary>
    /// <remarks>
    /// The worktree is found when the work comes back, not kept from the start: one a stopped sidecar left with no
    /// changes may be removed by the start-up's recovery meanwhile, and is then made again on the same start.
    /// </remarks>
    private async Task<TaskEnd> EndAsync(CodexRecord task, string start, SwarmJob job, JobEnd end, TaskContainerInfo placed, string scratch, CancellationToken cancellationToken)
    {
        if (end.Status == "complete")
        {
            if (job.Bundle("result") is { } result)
            {
                var file = Path.Combine(scratch, "result.bundle");
                await File.WriteAllBytesAsync(file, result, cancellationToken).ConfigureAwait(false);
                await GitOneAtATimeAsync(async () =>
                {
                    var worktree = await WorktreeAsync(task, cancellationToken).ConfigureAwait(false);
                    await ContainerBundle.ApplyAsync(worktree.Top, file, JobGit.ResultRef, start, "bringing the sub-task's work back from its job", cancellationToken).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
            }
            containers.Tell(task.Id, placed with { State = "removed", Node = job.Node });
            return new TaskEnd(TaskStatuses.Completed, null, job.Report());
        }
        var reason = end.Status == TaskStatuses.WaitingApproval && job.Waiting is { } waiting
            ? $"Its job stopped at {waiting.Summary}, which its rules would ask you about; answering from here is still to come: add a rule that allows it (run without asking) and run it again"
            : end.Status == JobEnd.Lost ? $"Its job ran twice and was lost both times ({end.Error}): resume it once the swarm's nodes are up"
            : end.Error ?? "Its job ended without saying why";
        containers.Tell(task.Id, placed with { State = "failed", Reason = reason, Node = job.Node });
        if (end.Status != TaskStatuses.WaitingApproval) await SettleOpenCallsAsync(task.Id).ConfigureAwait(false);
        return end.Status == "cancelled" ? new TaskEnd(TaskStatuses.Cancelled, reason) : TaskEnd.Failed(reason);
    }

    /// <summary>A task whose job ended short of its end here: its place told so, and the calls the job left open settled.</summary>
    private async Task<TaskEnd> EndShortAsync(string taskId, TaskEnd end, string state)
    {
        if (containers.Info(records.Get(taskId)) is { } info) containers.Tell(taskId, info with { State = state, Reason = end.Reason });
        await SettleOpenCallsAsync(taskId).ConfigureAwait(false);
        return end;
    }

    /// <summary>
    /// The calls a job left open when it ended short (stopped, failed, lost): each answered here as a local task's
    /// interrupted call is, so none shows running once its job is gone.
    /// </summary>
    private async Task SettleOpenCallsAsync(string taskId)
    {
        if (messages.Messages(taskId).LastOrDefault(m => m.Role == MessageRole.Assistant) is not { } answer) return;
        var answered = answer.Parts.OfType<ToolResultPart>().Select(r => r.ToolCallId).ToHashSet(StringComparer.Ordinal);
        var open = answer.Parts.OfType<ToolUsePart>().Where(c => c.State is ToolState.Pending or ToolState.Running && !answered.Contains(c.ToolCallId)).ToList();
        if (open.Count == 0) return;
        var next = answer.Parts.Count;
        foreach (var call in open)
        {
            messages.UpdatePart(call with { State = ToolState.Error });
            messages.InsertPart(answer.Id, next++, new ToolResultPart { Id = TranscriptIds.New(), ToolCallId = call.ToolCallId, Name = call.Name, Output = ToolTranscript.Unanswered, IsError = true });
        }
        if (messages.Message(answer.Id) is { } updated) await transcript.MessageUpdatedAsync(updated).ConfigureAwait(false);
    }

    /// <summary>The task's own worktree (a resumed run's is kept), made from its parent's, else the workspace folder.</summary>
    private async Task<TaskWorktree> WorktreeAsync(CodexRecord task, CancellationToken cancellationToken)
    {
        if (worktrees.Find(task.Id) is { } kept)
        {
            if (Directory.Exists(kept.Top)) return kept;
            await worktrees.RemoveAsync(task.Id, cancellationToken).ConfigureAwait(false); // its folder went with a stopped sidecar: made anew
        }
        var source = worktrees.Find(task.SpawnedBy ?? "")?.Folder ?? session.Folders.FirstOrDefault();
        var obstacle = source is null ? "no workspace folder is open" : await worktrees.ObstacleAsync(source, cancellationToken).ConfigureAwait(false);
        if (obstacle is not null)
            throw RpcException.InvalidParams($"A sub-task on a swarm works on a copy of its own git worktree, and none could be made here ({obstacle}): open a folder that is a git repository with a commit.");
        return await worktrees.CreateAsync(task.Id, source!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The worktree's files as they are, committed as the starting point (moving no branch) and bundled; returns the commit.</summary>
    private static async Task<string> StartBundleAsync(TaskWorktree worktree, string file, CancellationToken cancellationToken)
    {
        const string where = "making the sub-task's starting point";
        var start = await ContainerBundle.SnapshotAsync(worktree.Top, "Plue: the sub-task's starting point", where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(worktree.Top, ["update-ref", StartRef, start], where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(worktree.Top, ["bundle", "create", "--quiet", file, StartRef], where, cancellationToken).ConfigureAwait(false);
        return start;
    }

    /// <summary>The runner image the swarm's nodes pull: one for each architecture the task's constraints leave (x64 when several are left, kept to it).</summary>
    private static async Task<SwarmRunnerImage.RunnerImage> RunnerImageAsync(EngineClient client, string registry, string image, SwarmOverview swarm, TaskRecordFields fields, CancellationToken cancellationToken)
    {
        var pinned = fields.Constraints.Select(c => c.Replace(" ", "", StringComparison.Ordinal)).FirstOrDefault(c => c.StartsWith("node.platform.arch==", StringComparison.Ordinal));
        IReadOnlyCollection<string> architectures = pinned is not null ? [pinned["node.platform.arch==".Length..]] : swarm.Architectures;
        if (architectures.Count == 0) architectures = ["x86_64"];
        using var http = BoundedHttp.ForRegistry();
        var images = await new SwarmRunnerImage(Environment.GetEnvironmentVariable, http).EnsurePushedAsync(client, registry, image, architectures, cancellationToken).ConfigureAwait(false);
        return images.FirstOrDefault(i => i.Architecture == "amd64") ?? images[0];
    }

    private Dictionary<string, string> Labels(CodexRecord task) => new(StringComparer.Ordinal)
    {
        [TaskContainers.TaskLabel] = task.Id,
        [TaskContainers.TreeLabel] = records.Ancestors(task).LastOrDefault()?.Id ?? task.Id,
        [TaskContainers.HomeLabel] = TaskContainers.HomeHash(session.Home),
    };

    /// <summary>The job's service: Plue's runner on the task bundle, as the image's non-root user, on its node's network to reach the model, within the task's limits and placement.</summary>
    private static SwarmJobSpec Spec(CodexRecord task, TaskRecordFields fields, SwarmRunnerImage.RunnerImage runner)
    {
        var constraints = fields.Constraints.Select(c => c.Trim()).ToList();
        if (runner.Architecture == "amd64" && !constraints.Any(c => c.Replace(" ", "", StringComparison.Ordinal).StartsWith("node.platform.arch", StringComparison.Ordinal)))
            constraints.Add("node.platform.arch==x86_64");
        return new SwarmJobSpec
        {
            Name = Name(task),
            Image = runner.Image,
            Command = [SwarmRunnerImage.InImage, "job", "run", "--bundle", BundleFolder, "--key-file", $"/run/secrets/{KeyName}"],
            User = ContainerUser.Fallback,
            HostNetwork = true,
            Constraints = constraints,
            CpuReservation = fields.CpusReserved,
            MemoryReservation = fields.MemoryReservedMb * 1024 * 1024,
            CpuLimit = fields.Cpus,
            MemoryLimit = fields.MemoryMb * 1024 * 1024,
        };
    }

    /// <summary>The task bundle's task.json: the goal, the model (never its key), the tools the grant allows a job, its rules and its share of the spend cap.</summary>
    private JobTask JobTaskFor(CodexRecord task, Providers.ProviderConnection connection, TaskRecordFields fields)
    {
        var grant = grants.For(task, claudeCode: false, (_, _) => { });
        string[] jobTools = ["read", "search", "write", "edit", "bash"];
        return new JobTask
        {
            Version = JobTask.CurrentVersion,
            Brief = fields.Goal ?? task.Title,
            Title = task.Title,
            Model = new JobModel
            {
                Provider = connection.CatalogProviderId, Id = fields.ModelId, Name = connection.InstanceName, Endpoint = connection.Endpoint, TimeoutMs = connection.TimeoutMs,
            },
            Tools = [.. jobTools.Where(grant.Allowed.Contains)],
            Rules = [.. grant.AutoApprove.Where(jobTools.Contains).Select(tool => new JobRule(tool, null, null, null, "allow"))],
            // The job's container is its wall (no home, no host socket, its own node): its commands need no sandbox inside it.
            Sandbox = "sandbox-off",
            SpendCapUsd = CapShare(task),
            MaxTurns = fields.MaxTurns,
        };
    }

    /// <summary>What the job may spend: the least room left under the task's cap and its ancestors'; null when none holds it.</summary>
    private decimal? CapShare(CodexRecord task)
    {
        decimal? share = null;
        foreach (var holder in records.Ancestors(task).Prepend(task))
        {
            if (TaskRecordFields.Of(holder.Fields).SpendCapUsd is not { } cap) continue;
            var left = Math.Max(0, cap - caps.Spent(holder));
            share = share is { } s ? Math.Min(s, left) : left;
        }
        return share;
    }

    /// <summary>The job's cost moved: a cap its tree has reached stops every job under the cap's holder now.</summary>
    private void OnCost(string taskId, CancellationTokenSource own)
    {
        if (records.Find(taskId) is not { } task || caps.Find(task) is not { } reached) return;
        foreach (var (id, stop) in _running)
        {
            if (id == reached.Holder.Id || records.Find(id) is { } other && records.Ancestors(other).Any(a => a.Id == reached.Holder.Id))
                TryCancel(stop);
        }
        TryCancel(own);
    }

    private static void TryCancel(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That job has ended.
        }
    }

    private static string CapReason(SpendCaps.Reached reached) =>
        $"Paused: {reached.Holder.Title} reached its spend cap of ${reached.Cap.ToString("0.00##", CultureInfo.InvariantCulture)} (spent ${reached.Spent.ToString("0.00##", CultureInfo.InvariantCulture)}{SpendCaps.Unpriced(reached)}), so its jobs were stopped: raise the cap and resume to go on";

    private void Told(string taskId, TaskContainerInfo placed, SwarmTask? swarmTask, string state)
    {
        containers.Tell(taskId, placed with { State = state, Node = swarmTask?.NodeName, ShortId = swarmTask?.ContainerId is { Length: >= 12 } id ? id[..12] : null });
        _ = events.ChangedAsync(taskId);
    }

    /// <summary>A job's service name: its task's and a random end, unique in the swarm for each attempt.</summary>
    private static string Name(CodexRecord task) => $"plue-{Slug(task.Id)}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    private static string Slug(string id) => new([.. id.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).TakeLast(12)]);

    private void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogScratchLeft(folder, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its job runs again on another node ({Reason})")]
    private partial void LogRetried(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A swarm job's scratch folder {Folder} could not be removed ({Reason})")]
    private partial void LogScratchLeft(string folder, string reason);
}

/// <summary>Where a task's jobs run and what they share: the swarm's manager, the key, the task's fields, its stop, its scratch folder and starting point.</summary>
internal sealed record JobPlace(EngineClient Client, string Key, TaskRecordFields Fields, CancellationTokenSource Stop, string Scratch, string Start);

/// <summary>What a job is started from: its task.json, its start bundle's file, and the files a resumed job goes on from.</summary>
internal sealed record JobBundle(JobTask Task, string StartBundle, IReadOnlyList<(string Name, byte[] Data)> Extra);

/// <summary>How a job ended: its done line's status and reason, or the swarm's when it ended with none (<see cref="Lost"/>: its node went away, <paramref name="Node"/> the node's id).</summary>
internal sealed record JobEnd(string Status, string? Error, string? Node = null)
{
    public const string Lost = "lost";
}
