using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Providers;

namespace Plue.Agents.Backends;

/// <summary>
/// One model call of a task, on any backend: its transcript (tool traffic included) in, the answer streamed into it.
/// Before a call would pass the task's share of its context window, the transcript is compacted as a chat's is, and an
/// orchestrator's sub-tasks (each one's title, status, model and result, as the store has them) are kept in the summary
/// verbatim: what it delegated, and what came back, is never left to the summarising model to remember. The spend caps
/// that hold the task stop a call's stream as soon as they are reached.
/// </summary>
public sealed class TaskModelTurn(MessageStore messages, TranscriptTurns turns, TranscriptCompaction compaction, TaskRecords records, InstanceService instances, InstanceChecks checks,
    SpendCaps caps)
{
    /// <param name="fallbacks">The task's own fallback chain (its <c>fallbacks</c> field); null for its instance's.</param>
    public async Task<SessionMessage> AskAsync(string taskId, ProviderConnection connection, IChatClient client, ChatOptions options, CancellationToken cancellationToken,
        IReadOnlyList<ModelFallback>? fallbacks = null)
    {
        var modelId = options.ModelId ?? "";
        var task = records.Get(taskId);
        var fields = task.Fields;
        var window = checks.KnownModels(instances.Get(connection.InstanceId)).FirstOrDefault(m => m.Id == modelId)?.ContextWindow;
        if (compaction.Due(taskId, options.Instructions, null, window, TaskRecordFields.Of(fields).CompactAtPercent))
            await compaction.CompactAsync(taskId, connection, TaskRecordFields.Of(fields).CompactionModel ?? modelId, options.Instructions, null, cancellationToken,
                SubTasks(taskId)).ConfigureAwait(false);
        var history = ToolTranscript.Build(messages.Messages(taskId));
        var answer = turns.StartAnswer(taskId, connection, modelId);
        // The spend caps that hold the task stop this call's stream once they are reached, not only the next call.
        // Calls of the tree's other tasks streaming meanwhile share that room with it (SpendCaps.Begin).
        using var call = caps.Begin(task);
        return await turns.StreamAnswerAsync(answer, connection, client, history, options, cancellationToken, fallbacks, call.Limit).ConfigureAwait(false);
    }

    private (string Title, string Text)? SubTasks(string taskId)
    {
        var children = records.Children(taskId);
        if (children.Count == 0) return null;
        return ("The sub-tasks spawned so far (verbatim)", string.Join("\n", children.Select(child =>
        {
            var fields = TaskRecordFields.Of(child.Fields);
            return $"- {child.Title} ({child.Status}, {fields.ModelId}): {fields.Result ?? fields.StatusReason ?? "no result yet"}";
        })));
    }
}
