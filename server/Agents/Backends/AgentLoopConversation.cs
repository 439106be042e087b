using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Agents.Backends;

/// <summary>A run on an agent that runs its own tool loop in one turn (the claude CLI, an ACP agent): nothing is left for the sidecar to run.</summary>
internal sealed class AgentLoopConversation(TaskModelTurn turn, Func<ValueTask> close, string taskId, ProviderConnection connection, IChatClient client, ChatOptions options)
    : ITaskConversation
{
    public Task<SessionMessage> AskAsync(Transcripts.SpendLimit? limit, CancellationToken cancellationToken) => turn.AskAsync(taskId, connection, client, options, limit, cancellationToken);

    public Task<bool> RunToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> ResumeToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Ends the agent's process: the run is over.</summary>
    public ValueTask DisposeAsync() => close();
}
