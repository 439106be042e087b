using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Providers;

namespace Plue.Agents.Backends;

/// <summary>One model call of a task, on any backend: its transcript (tool traffic included) in, the answer streamed into it.</summary>
public sealed class TaskModelTurn(MessageStore messages, TranscriptTurns turns)
{
    /// <param name="fallbacks">The task's own fallback chain (its <c>fallbacks</c> field); null for its instance's.</param>
    public Task<SessionMessage> AskAsync(string taskId, ProviderConnection connection, IChatClient client, ChatOptions options, CancellationToken cancellationToken,
        IReadOnlyList<ModelFallback>? fallbacks = null)
    {
        var history = ToolTranscript.Build(messages.Messages(taskId));
        var answer = turns.StartAnswer(taskId, connection, options.ModelId ?? "");
        return turns.StreamAnswerAsync(answer, connection, client, history, options, cancellationToken, fallbacks);
    }
}
