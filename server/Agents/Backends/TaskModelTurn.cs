using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Providers;

namespace Plue.Agents.Backends;

/// <summary>
/// One model call of a task, on any backend: its transcript (tool traffic included) in, the answer streamed into it.
/// Before a call would pass the task's share of its context window, the transcript is compacted as a chat's is.
/// </summary>
public sealed class TaskModelTurn(MessageStore messages, TranscriptTurns turns, TranscriptCompaction compaction, TaskRecords records, InstanceService instances, InstanceChecks checks)
{
    /// <param name="fallbacks">The task's own fallback chain (its <c>fallbacks</c> field); null for its instance's.</param>
    public async Task<SessionMessage> AskAsync(string taskId, ProviderConnection connection, IChatClient client, ChatOptions options, CancellationToken cancellationToken,
        IReadOnlyList<ModelFallback>? fallbacks = null)
    {
        var modelId = options.ModelId ?? "";
        var fields = records.Get(taskId).Fields;
        var window = checks.KnownModels(instances.Get(connection.InstanceId)).FirstOrDefault(m => m.Id == modelId)?.ContextWindow;
        if (compaction.Due(taskId, options.Instructions, null, window, TaskRecordFields.Of(fields).CompactAtPercent))
            await compaction.CompactAsync(taskId, connection, TaskRecordFields.Of(fields).CompactionModel ?? modelId, options.Instructions, null, cancellationToken).ConfigureAwait(false);
        var history = ToolTranscript.Build(messages.Messages(taskId));
        var answer = turns.StartAnswer(taskId, connection, modelId);
        return await turns.StreamAnswerAsync(answer, connection, client, history, options, cancellationToken, fallbacks).ConfigureAwait(false);
    }
}
