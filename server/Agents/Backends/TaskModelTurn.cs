using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Providers;
using Plue.Turns;

namespace Plue.Agents.Backends;

/// <summary>
/// One model call of a task, on any backend: its transcript (tool traffic included) in, the answer streamed into it,
/// stopped at the spend limit the turn engine counts it against. And how a task compacts (the engine decides when):
/// at its share of its model's window, an orchestrator's sub-tasks (each one's title, status, model and result, as the
/// store has them) kept in the summary verbatim: what it delegated, and what came back, is never left to the
/// summarising model to remember.
/// </summary>
public sealed class TaskModelTurn(MessageStore messages, TranscriptTurns turns, TaskRecords records, InstanceService instances, InstanceChecks checks)
{
    /// <param name="fallbacks">The task's own fallback chain (its <c>fallbacks</c> field); null for its instance's.</param>
    public Task<SessionMessage> AskAsync(string taskId, ProviderConnection connection, IChatClient client, ChatOptions options, SpendLimit? limit, CancellationToken cancellationToken,
        IReadOnlyList<ModelFallback>? fallbacks = null)
    {
        var history = ToolTranscript.Build(messages.Messages(taskId));
        var answer = turns.StartAnswer(taskId, connection, options.ModelId ?? "");
        return turns.StreamAnswerAsync(answer, connection, client, history, options, cancellationToken, fallbacks, limit);
    }

    /// <summary>How the task's conversation compacts: its model's window on its instance, its share and summarising model, its sub-tasks kept.</summary>
    public CompactionRule Compaction(CodexRecord task, ProviderConnection connection, string modelId)
    {
        var fields = TaskRecordFields.Of(task.Fields);
        var window = checks.KnownModels(instances.Get(connection.InstanceId)).FirstOrDefault(m => m.Id == modelId)?.ContextWindow;
        return new CompactionRule(window, fields.CompactAtPercent, fields.CompactionModel ?? modelId, () => SubTasks(task.Id));
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
