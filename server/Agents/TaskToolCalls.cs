using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Agents.Tools;
using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// Runs the tool calls of one model turn through <see cref="ToolRunner"/> (the grant and the user's approval decide)
/// and stores each result on the assistant message as it arrives. Every spawn_task call of the turn starts at once
/// (fan-out) under the parent's concurrency limit; the other calls run one after another meanwhile, so the user is
/// asked one question at a time; the turn ends when all are back (fan-in).
/// </summary>
public sealed partial class TaskToolCalls(ToolRunner tools, MessageStore messages, TranscriptEvents sessionEvents, LiveTasks live, ILogger<TaskToolCalls> logger, SandboxRetries? retries = null,
    Engines.EngineService? engines = null)
{
    /// <summary>Where a command ran unconfined and a Docker engine is known: the container policy, offered on the card.</summary>
    private string? OfferContainer() => engines?.Records().FirstOrDefault() is { } engine
        ? $"For isolation here, choose the Container sandbox policy (for a mode, or as this workspace's): commands then run in a container on {engine.Title}, the workspace mounted in, no network, nothing of your home."
        : null;

    /// <summary>Runs the calls the answer left running; false when it left none (the answer is then the last word).</summary>
    public async Task<bool> RunPendingAsync(SessionMessage answer, ToolGrant grant, CancellationToken cancellationToken)
    {
        List<ToolUsePart> calls = [.. answer.Parts.OfType<ToolUsePart>().Where(p => p.State == ToolState.Running)];
        if (calls.Count == 0) return false;
        await RunAsync(answer, calls, grant, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Picks up the calls a stop of the sidecar left unanswered on a resumed task's last answer: each spawn_task call
    /// runs again (it goes on with the sub-task it had started, see <see cref="TaskSpawner"/>), and so does a call that
    /// never ran (pending: a swarm job stopped at its approval, and the answer now given decides it); any other is
    /// answered as interrupted, since running a command or an edit twice is not safe. False when the answer left none.
    /// </summary>
    public async Task<bool> ResumePendingAsync(SessionMessage answer, ToolGrant grant, CancellationToken cancellationToken)
    {
        List<ToolUsePart> calls = [.. answer.Parts.OfType<ToolUsePart>().Where(p => p.State is ToolState.Running or ToolState.Pending)];
        if (calls.Count == 0) return false;
        static bool Again(ToolUsePart c) => c.Name == SpawnTaskTool.ToolName || c.State == ToolState.Pending;
        var again = calls.Where(Again).Select(c => c.State == ToolState.Pending ? c with { State = ToolState.Running } : c).ToList();
        if (again.Any(c => !calls.Contains(c)))
        {
            // A pending call runs now: told as running, as a call the model just made is.
            foreach (var call in again.Where(c => !calls.Contains(c))) messages.UpdatePart(call);
            if (messages.Message(answer.Id) is { } updated) await sessionEvents.MessageUpdatedAsync(updated).ConfigureAwait(false);
        }
        await RunAsync(answer, again, grant, cancellationToken, [.. calls.Where(c => !Again(c))]).ConfigureAwait(false);
        return true;
    }

    /// <param name="interrupted">Calls answered as interrupted without running.</param>
    public async Task RunAsync(SessionMessage answer, IReadOnlyList<ToolUsePart> calls, ToolGrant grant, CancellationToken cancellationToken,
        IReadOnlyList<ToolUsePart>? interrupted = null)
    {
        var store = new ResultWriter(answer, messages, sessionEvents, grant, retries, OfferContainer);
        foreach (var call in interrupted ?? []) await store.WriteAsync(call, ToolResult.Error(ToolTranscript.Unanswered)).ConfigureAwait(false);
        try
        {
            var spawning = Task.WhenAll(calls.Where(c => c.Name == SpawnTaskTool.ToolName).Select(c => RunOneAsync(c, grant, store, cancellationToken)));
            foreach (var call in calls.Where(c => c.Name != SpawnTaskTool.ToolName))
            {
                if (cancellationToken.IsCancellationRequested) break;
                await RunOneAsync(call, grant, store, cancellationToken).ConfigureAwait(false);
            }
            await spawning.ConfigureAwait(false);
        }
        finally
        {
            // A call cut short by an interrupt still gets an answer, so the transcript can be resumed. A sub-task the
            // sidecar's stop cut short is left unanswered: resuming the task picks it up where it stopped.
            foreach (var call in calls.Where(c => !(live.Stopping && c.Name == SpawnTaskTool.ToolName)))
                await store.WriteAsync(call, ToolResult.Error(ToolTranscript.Unanswered)).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RunOneAsync(ToolUsePart call, ToolGrant grant, ResultWriter store, CancellationToken cancellationToken)
    {
        ToolResult result;
        try
        {
            using var input = JsonDocument.Parse(call.Input?.ToJsonString() ?? "{}");
            result = await tools.RunAsync(grant, call.Name ?? "", input.RootElement, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // A tool that throws is a bug in the tool, not the model's fault: the model is told, the log keeps the detail.
            LogToolFailed(grant.TaskId, call.Name ?? "", e);
            result = ToolResult.Error($"The tool {call.Name} failed inside the sidecar: {e.Message}");
        }
        await store.WriteAsync(call, result).ConfigureAwait(false);
    }

    /// <summary>Appends tool_result parts to the answer one at a time, in the order they finish; a call's first result is its only one.</summary>
    private sealed class ResultWriter(SessionMessage answer, MessageStore messages, TranscriptEvents sessionEvents, ToolGrant grant, SandboxRetries? retries, Func<string?> offerContainer)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
        private int _next = answer.Parts.Count;

        public async Task WriteAsync(ToolUsePart call, ToolResult result)
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (!_answered.Add(call.Id)) return;
                messages.UpdatePart(call with { State = result.Denied ? ToolState.Denied : result.IsError ? ToolState.Error : ToolState.Completed, Approval = result.Approval ?? call.Approval });
                var denied = result.SandboxDenials.Count > 0;
                var part = new ToolResultPart
                {
                    Id = TranscriptIds.New(), ToolCallId = call.ToolCallId, Name = call.Name, Output = result.Output, IsError = result.IsError,
                    // What the sandbox stopped, for the card's "Allow this once" and "Always for this workspace".
                    SandboxDenials = denied ? Plue.Sandbox.SandboxDenial.Info(result.SandboxDenials) : null,
                    SandboxPolicy = denied ? grant.Sandbox.Describe() : null,
                    Unconfined = result.Unconfined?.Why, UnconfinedFix = result.Unconfined?.Fix,
                    UnconfinedContainer = result.Unconfined is null ? null : offerContainer(),
                };
                messages.InsertPart(answer.Id, _next++, part);
                if (denied) retries?.Remember(part.Id, grant, call, answer.Id, result.SandboxDenials);
                // What the call's agent hooks did, shown after its result.
                foreach (var notice in result.Notices ?? []) messages.InsertPart(answer.Id, _next++, notice);
                if (messages.Message(answer.Id) is { } updated) await sessionEvents.MessageUpdatedAsync(updated).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId}: tool {Tool} threw")]
    private partial void LogToolFailed(string taskId, string tool, Exception exception);
}
