using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

using Plue.Cli;

namespace Plue.Jobs;

/// <summary>
/// <c>plue job run --bundle DIR [--key-file PATH]</c> (hidden: a cluster starts it, not a user): one sub-task's turn
/// loop, headless, in a private home of its own, from a task bundle (task.json and start.bundle), telling what happens
/// as JSON lines on stdout (<see cref="JobEvents"/>, docs/JOB-EVENTS.md). Only rules decide approvals here: a call
/// they would ask about stops the job, its transcript and worktree sent back so it can go on anywhere.
/// </summary>
internal static class JobRunCommand
{
    public const string DefaultKeyFile = "/run/secrets/plue-key";

    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "The task bundle's folder: task.json and start.bundle", HelpName = "dir", Required = true };
        var keyFile = new Option<string>("--key-file") { Description = $"The file holding the provider's key (default {DefaultKeyFile})", HelpName = "path" };
        var run = new Command("run", "Run one sub-task from a task bundle, telling its events as JSON lines on stdout") { bundle, keyFile };
        run.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(bundle)!, parse.GetValue(keyFile) ?? DefaultKeyFile, cancellationToken));
        return new Command("job", "A sub-task run as a job on a cluster's node") { Hidden = true, Subcommands = { run } };
    }

    private static async Task<int> RunAsync(string folder, string keyFile, CancellationToken cancellationToken)
    {
        var events = new JobEvents(Console.OpenStandardOutput());
        // Nothing but events on stdout: anything else written to the console goes to stderr.
        Console.SetOut(Console.Error);
        // The job's commands die with it, even when it is killed with SIGKILL (a node's engine stopped, a lost container).
        if (Processes.ChildProcesses.Start() is { } untied) await Console.Error.WriteLineAsync($"plue: warning: the job's commands may outlive it: {untied}").ConfigureAwait(false);
        var scratch = Directory.CreateTempSubdirectory("plue-job-").FullName;
        try
        {
            var job = new JobRun(events, folder, scratch);
            return await job.RunAsync(keyFile, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            events.Status("cancelled");
            events.Finish("cancelled", "Stopped before the sub-task started.");
            return 130;
        }
        catch (Exception e)
        {
            var reason = e is JobTaskException or CliError or RpcException ? e.Message : $"The job stopped unexpectedly: {e.Message}";
            await Console.Error.WriteLineAsync($"plue: {reason}").ConfigureAwait(false);
            if (e is not (JobTaskException or CliError or RpcException)) await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            events.Status("error", reason);
            events.Finish("error", reason);
            return CliError.Failed;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"plue: warning: the job's scratch folder could not be removed: {e.Message}").ConfigureAwait(false);
            }
        }
    }
}

/// <summary>One run of a job: the private home and workspace in <c>scratch</c>, the sidecar in this process, the task followed to its end.</summary>
internal sealed class JobRun(JobEvents events, string folder, string scratch)
{
    private readonly string _workspace = Path.Combine(scratch, "work");
    private readonly TaskCompletionSource<AgentTask> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, string> _partsSent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _toolPhases = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private (string CallId, string Tool, string Summary)? _waiting;
    /// <summary>The user's answer to the call a resumed job stopped at: given once, to the same call asked again.</summary>
    private (string Tool, string Input, string Decision)? _answer;
    private (decimal Usd, long Input, long Output) _imported;
    private (decimal Usd, string Source, long Input, long Output)? _lastCost;
    private string? _taskId;
    private CliSidecar? _sidecar;

    public async Task<int> RunAsync(string keyFile, CancellationToken cancellationToken)
    {
        // SIGTERM (a service removed, docker stop) stops the task and the job tells how, as for Ctrl+C; before the task
        // starts it ends the job at once.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            Interrupt();
        });
        var taskFile = Path.Combine(folder, "task.json");
        if (!File.Exists(taskFile)) throw new JobTaskException("The task bundle has no task.json: give the folder that holds it with --bundle.");
        var task = JobTaskReader.Parse(await File.ReadAllBytesAsync(taskFile, cancellationToken).ConfigureAwait(false));
        var key = await ReadKeyAsync(keyFile, cancellationToken).ConfigureAwait(false);
        if (!Checkpoints.GitProcess.Available)
            throw new JobTaskException("This image has no git, which a job needs to check out its starting point and send its work back: use a runner image with git.");

        await CheckOutAsync(task, cancellationToken).ConfigureAwait(false);

        // A key of its own for the private vault, never written to the environment or argv.
        var vaultKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var sidecar = _sidecar = await CliSidecar.StartAsync(Path.Combine(scratch, "home"), _workspace, Console.Error, trusted: true, confinesChildren: true, vaultKey: vaultKey)
            .ConfigureAwait(false);
        var instance = await sidecar.CallAsync(Contract.InstancesCreate, new CreateInstanceParams
        {
            DisplayName = task.Model!.Name is { Length: > 0 } name ? name : task.Model.Provider!,
            CatalogProviderId = task.Model!.Provider!,
            Endpoint = task.Model.Endpoint,
            DefaultModel = task.Model.Id,
            ApiKey = key,
            TimeoutMs = task.Model.TimeoutMs,
            ContextWindow = task.Model.ContextWindow,
            Local = task.Model.Local,
            ApiVersion = task.Model.ApiVersion,
        }, cancellationToken).ConfigureAwait(false);
        key = null;
        foreach (var rule in task.Rules ?? []) await GrantAsync(sidecar, rule, cancellationToken).ConfigureAwait(false);

        Listen(sidecar);
        using var interrupt = cancellationToken.Register(Interrupt);
        if (_ended.Task.IsCanceled) throw new OperationCanceledException();
        events.Status("running");
        var started = await StartTaskAsync(sidecar, task, instance.Id, cancellationToken).ConfigureAwait(false);
        if (Ended(started)) _ended.TrySetResult(started);
        var end = await _ended.Task.ConfigureAwait(false);
        return await FinishAsync(sidecar, end).ConfigureAwait(false);
    }

    /// <summary>The workspace checked out from the bundle's starting point, or from the state a paused job sent.</summary>
    private async Task CheckOutAsync(JobTask task, CancellationToken cancellationToken)
    {
        if (task.Resume is { } resume)
        {
            var state = await JobGit.JoinAsync(folder, resume.State!, scratch, cancellationToken).ConfigureAwait(false)
                ?? throw new JobTaskException($"The task bundle has no {resume.State}, the state to go on from: send the state the paused job sent.");
            await JobGit.CheckOutAsync(_workspace, state, [JobGit.StartRef, JobGit.StateRef], cancellationToken).ConfigureAwait(false);
            return;
        }
        var start = await JobGit.JoinAsync(folder, "start.bundle", scratch, cancellationToken).ConfigureAwait(false)
            ?? throw new JobTaskException("The task bundle has no start.bundle: add the git bundle of the sub-task's starting point.");
        await JobGit.CheckOutAsync(_workspace, start, [JobGit.StartRef], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sub-task started, or a paused one imported with its transcript and resumed.</summary>
    private async Task<AgentTask> StartTaskAsync(CliSidecar sidecar, JobTask task, string instanceId, CancellationToken cancellationToken)
    {
        var fields = Fields(task);
        if (task.Resume is { } resumeFrom)
        {
            var id = await ImportAsync(sidecar, task, resumeFrom, instanceId, fields, cancellationToken).ConfigureAwait(false);
            lock (_gate) _taskId = id;
            return await sidecar.CallAsync(Contract.TaskResume, new TaskResumeParams { Id = id }, CancellationToken.None).ConfigureAwait(false);
        }
        var started = await sidecar.CallAsync(Contract.TaskStart, new TaskStartParams
        {
            TemplateId = TaskFields.BaseTemplate,
            Title = task.Title,
            Prompt = task.Brief!,
            ProviderRef = instanceId,
            ModelId = task.Model!.Id,
            AllowUnlisted = true,
            Fields = fields,
        }, CancellationToken.None).ConfigureAwait(false);
        lock (_gate) _taskId = started.Id;
        return started;
    }

    /// <summary>The key file's first line; the file itself stays where it is and is not copied.</summary>
    private static async Task<string> ReadKeyAsync(string keyFile, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(keyFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobTaskException($"The provider's key could not be read from {keyFile} ({e.GetType().Name}): give the job its key as a secret, or name the file with --key-file.");
        }
        return text.Split('\n', 2)[0].Trim() is { Length: > 0 } key ? key
            : throw new JobTaskException($"The key file {keyFile} is empty: give the job the provider's key.");
    }

    private static JsonObject Fields(JobTask task)
    {
        var fields = new JsonObject
        {
            [TaskFields.AvailableTools] = new JsonArray([.. (task.Tools ?? ["read", "search"]).Select(t => (JsonNode)JsonValue.Create(t))]),
            // The job's folder is its own: no worktree of it.
            [TaskFields.Isolation] = "shared",
        };
        if (task.SpendCapUsd is { } cap) fields[TaskFields.SpendCapUsd] = cap;
        if (task.MaxTurns is { } turns) fields[TaskFields.MaxTurns] = turns;
        if (task.Sandbox is { Length: > 0 } sandbox) fields["sandbox_policy"] = sandbox;
        return fields;
    }

    /// <summary>A rule as a grant that holds everywhere in the private home: the rules are the only ones there.</summary>
    private static Task GrantAsync(CliSidecar sidecar, JobRule rule, CancellationToken cancellationToken)
    {
        var fields = new JsonObject { ["scope"] = "everywhere", ["tool"] = rule.Tool, ["decision"] = rule.Decision ?? "allow" };
        if (rule.CommandPrefix is { Length: > 0 } prefix) fields["command_prefix"] = prefix;
        if (rule.PathGlob is { Length: > 0 } glob) fields["path_glob"] = glob;
        if (rule.Host is { Length: > 0 } host) fields["host"] = host;
        return sidecar.CallAsync(Contract.CodexCreate, new CodexDraft { TemplateId = "tool-grant", Title = $"{rule.Decision ?? "allow"} {rule.Tool}", Fields = fields }, cancellationToken);
    }

    /// <summary>
    /// A paused job's task again: the record made (not started), its saved transcript put back as its own, and it marked
    /// stopped, so <c>task/resume</c> goes on from there as it does for any stopped task. Returns its id.
    /// </summary>
    private async Task<string> ImportAsync(CliSidecar sidecar, JobTask task, JobResume resume, string instanceId, JsonObject fields, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, resume.Transcript!);
        IReadOnlyList<SessionMessage> saved;
        try
        {
            saved = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), PlueJsonContext.Default.IReadOnlyListSessionMessage) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new JobTaskException($"The saved transcript {resume.Transcript} could not be read ({e.GetType().Name}): send the transcript the paused job sent.");
        }
        var services = sidecar.Services;
        var record = await services.GetRequiredService<TaskCreation>().CreateAsync(new TaskCreation.Request
        {
            TemplateId = TaskFields.BaseTemplate, Title = task.Title, Goal = task.Brief!, ProviderRef = instanceId, ModelId = task.Model!.Id, Fields = fields, AllowUnlisted = true,
        }, cancellationToken).ConfigureAwait(false);
        var store = services.GetRequiredService<MessageStore>();
        // The call it stopped at, so the same call asked again gets the user's answer.
        var call = saved.SelectMany(m => m.Parts).OfType<ToolUsePart>().LastOrDefault()
            ?? throw new JobTaskException($"The saved transcript {resume.Transcript} holds no tool call to answer: send the transcript the paused job sent.");
        _answer = (call.Name ?? "", call.Input?.ToJsonString() ?? "{}", resume.Answer!);
        foreach (var message in Unasked(saved, call))
        {
            store.InsertMessage(message with { SessionId = record.Id }, owner: null);
            if (message.CostUsd is { } usd) _imported.Usd += usd;
            _imported.Input += message.Usage?.Input ?? 0;
            _imported.Output += message.Usage?.Output ?? 0;
        }
        services.GetRequiredService<TaskRecords>().Update(record.Id, TaskStatuses.Cancelled,
            new JsonObject { [TaskFields.StatusReason] = "Waiting for approval", [TaskFields.RunOwner] = null });
        return record.Id;
    }

    /// <summary>
    /// The saved transcript with the call it stopped at made pending again (its stand-in result, written when the job
    /// stopped, left out): resumed, the task runs that call first, and the answer the user gave decides it, rather than
    /// the model being asked to make it again.
    /// </summary>
    internal static IEnumerable<SessionMessage> Unasked(IReadOnlyList<SessionMessage> saved, ToolUsePart call)
    {
        var id = call.ToolCallId;
        foreach (var message in saved)
        {
            if (!message.Parts.Contains(call))
            {
                yield return message;
                continue;
            }
            yield return message with
            {
                Parts = [.. message.Parts
                    .Where(p => !(p is ToolResultPart r && id is not null && r.ToolCallId == id))
                    .Select(p => ReferenceEquals(p, call) ? call with { State = ToolState.Pending } : p)],
            };
        }
    }

    private void Listen(CliSidecar sidecar)
    {
        sidecar.Events.MessageUpdated = p =>
        {
            Parts(p.Message);
            return ValueTask.CompletedTask;
        };
        sidecar.Events.TaskUpdated = p =>
        {
            lock (_gate)
                if (_taskId is not null && p.Task.Id != _taskId) return;
            Cost(p.Task);
            if (Ended(p.Task)) _ended.TrySetResult(p.Task);
        };
        sidecar.Events.Approve = ApproveAsync;
    }

    private static bool Ended(AgentTask task) => task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled or AgentTaskStatus.Paused;

    /// <summary>Each part once it settles (text once its message is no longer streaming), again when it changes; a tool call's phase as it moves.</summary>
    private void Parts(SessionMessage message)
    {
        lock (_gate)
        {
            foreach (var part in message.Parts)
            {
                if (part is TextPart or ReasoningPart && message.Status == MessageStatus.Streaming) continue;
                if (StandIn(part)) continue;
                var json = JsonSerializer.Serialize(part, PlueJsonContext.Default.MessagePart);
                if (_partsSent.TryGetValue(part.Id, out var sent) && sent == json) continue;
                _partsSent[part.Id] = json;
                events.Part(message.Id, message.Role, part);
                if (part is ToolUsePart call) ToolPhase(call);
            }
        }
    }

    /// <summary>
    /// The stand-in end the pause writes for the call it stopped at (its result, its error state): not sent, so the
    /// sub-task shows the call waiting as any task's asked call does, and the answered call's real end comes later.
    /// </summary>
    private bool StandIn(MessagePart part) => _waiting is { } waiting && part switch
    {
        ToolResultPart result => result.ToolCallId == waiting.CallId,
        ToolUsePart call => (call.ToolCallId ?? call.Id) == waiting.CallId && call.State is not (ToolState.Pending or ToolState.Running),
        _ => false,
    };

    private void ToolPhase(ToolUsePart call)
    {
        var phase = call.State switch
        {
            ToolState.Pending or ToolState.Running => "started",
            ToolState.Completed or ToolState.Error => "finished",
            ToolState.Denied => "denied",
            _ => null,
        };
        var id = call.ToolCallId ?? call.Id;
        if (phase is null || (_toolPhases.TryGetValue(id, out var told) && told == phase)) return;
        // A call interrupted at its approval is neither run nor denied: the waiting event says it.
        if (phase != "started" && _waiting?.CallId == id) return;
        _toolPhases[id] = phase;
        events.Tool(id, call.Name ?? "", phase, ApprovalReplay.Summary(call.Name ?? "", call.Input));
    }

    /// <summary>The job's cost so far: this run's (a resumed job's counts from where the pause left it), told when it changes.</summary>
    private void Cost(AgentTask task)
    {
        var sources = task.CostSources;
        var source = sources.Contains(CostSource.Provider) ? "provider" : sources.Any(s => s is CostSource.Catalog or CostSource.Estimate or CostSource.Local) ? "catalog" : "none";
        var cost = (Usd: Math.Max(0, (task.CostUsd ?? 0) - _imported.Usd), Source: source,
            Input: Math.Max(0, task.Usage.Input - _imported.Input), Output: Math.Max(0, task.Usage.Output - _imported.Output));
        lock (_gate)
        {
            if (cost is { Usd: 0, Input: 0, Output: 0 } || _lastCost == cost) return;
            _lastCost = cost;
        }
        events.Cost(cost.Usd, cost.Source, cost.Input, cost.Output);
    }

    /// <summary>
    /// Only rules decide inside a job: what reaches here is a call they would ask about. The answer a resumed job
    /// carries answers the same call once; any other stops the job, waiting for the user.
    /// </summary>
    private async Task<PermissionRequestResult> ApproveAsync(PermissionRequestParams request, CancellationToken cancellationToken)
    {
        var input = request.Input.GetRawText();
        lock (_gate)
        {
            if (_answer is { } answer && answer.Tool == request.Tool && SameInput(answer.Input, input))
            {
                _answer = null;
                return new PermissionRequestResult { Decision = answer.Decision, Message = answer.Decision == "deny" ? "The user refused it." : null };
            }
            var call = _partsSent.Values.Select(v => JsonSerializer.Deserialize(v, PlueJsonContext.Default.MessagePart)).OfType<ToolUsePart>()
                .LastOrDefault(c => c.Name == request.Tool && c.State is ToolState.Pending or ToolState.Running);
            var id = call?.ToolCallId ?? call?.Id ?? "";
            _waiting ??= (id, request.Tool, ApprovalReplay.Summary(request.Tool, JsonNode.Parse(input)));
        }
        events.Status(TaskStatuses.WaitingApproval);
        Interrupt();
        try
        {
            // The interrupt withdraws the question; a deny is the answer only if it never does.
            await Task.Delay(TaskControl.InterruptWait, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return new PermissionRequestResult { Decision = "deny", Message = "The job stopped to wait for the user's approval." };
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool SameInput(string a, string b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));

    private void Interrupt()
    {
        string? id;
        lock (_gate) id = _taskId;
        if (id is null)
        {
            _ended.TrySetCanceled();
            return;
        }
        _ = _sidecar!.CallAsync(Contract.TaskInterrupt, new IdParams { Id = id }, CancellationToken.None);
    }

    /// <summary>How the job ends: the result bundle when the task completed, the saved state when it stopped short, then done.</summary>
    private async Task<int> FinishAsync(CliSidecar sidecar, AgentTask end)
    {
        var cancellationToken = CancellationToken.None;
        Cost(await sidecar.CallAsync(Contract.TaskGet, new IdParams { Id = end.Id }, cancellationToken).ConfigureAwait(false));
        var waiting = _waiting;
        if (end.Status == AgentTaskStatus.Completed)
        {
            if (await JobGit.ResultAsync(_workspace, Path.Combine(scratch, "result.bundle"), cancellationToken).ConfigureAwait(false) is { } result)
                await events.BundleAsync("result", result, cancellationToken).ConfigureAwait(false);
            events.Status("complete");
            events.Finish("complete");
            return 0;
        }
        var status = waiting is not null ? TaskStatuses.WaitingApproval : end.Status == AgentTaskStatus.Cancelled ? "cancelled" : "error";
        var reason = status == "error" ? OneLine(end.StatusReason ?? "The sub-task stopped without saying why.") : null;
        if (waiting is { } w) events.Waiting(w.CallId, w.Tool, w.Summary);
        // What it did so far goes back too, so the sub-task can go on elsewhere from here.
        await events.BundleAsync("state", await JobGit.StateAsync(_workspace, Path.Combine(scratch, "state.bundle"), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SessionMessage> transcript = sidecar.Services.GetRequiredService<MessageStore>().Messages(end.Id, cancellationToken: cancellationToken);
        events.Bundle("transcript", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(transcript, PlueJsonContext.Default.IReadOnlyListSessionMessage)));
        if (status != TaskStatuses.WaitingApproval) events.Status(status, reason);
        events.Finish(status, reason);
        return status == TaskStatuses.WaitingApproval ? 0 : CliError.Failed;
    }
}
