using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Providers;

namespace Plue.Agents.Backends;

/// <summary>One model call of a task, on any backend: its transcript (tool traffic included) in, the answer streamed into it.</summary>
public sealed class TaskModelTurn(MessageStore messages, TranscriptTurns turns)
{
    public Task<SessionMessage> AskAsync(string taskId, ProviderConnection connection, IChatClient client, ChatOptions options, CancellationToken cancellationToken)
    {
        var history = ToolTranscript.Build(messages.Messages(taskId));
        var answer = turns.StartAnswer(taskId, connection, options.ModelId ?? "");
        return turns.StreamAnswerAsync(answer, connection, client, history, options, cancellationToken);
    }
}
