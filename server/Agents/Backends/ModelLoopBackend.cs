using Microsoft.Extensions.AI;
using Plue.Agents.Tools;
using Plue.Codex.Records;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Agents.Backends;

/// <summary>
/// The sidecar's own loop, on every HTTP backend: the model is declared the grant's tools (the MCP servers the grant
/// names start here), and each turn's tool calls run through <see cref="TaskToolCalls"/> before the next turn.
/// </summary>
public sealed class ModelLoopBackend(IChatClientFactory clients, ToolRunner tools, TaskToolCalls toolCalls, TaskModelTurn turn) : ITaskBackend
{
    public bool RunsOwnTools => false;

    public async Task<ITaskConversation> OpenAsync(CodexRecord task, ProviderConnection connection, ToolGrant grant, ChatOptions options, CancellationToken cancellationToken)
    {
        var client = clients.Create(connection, task.Id);
        options.Tools = [.. await tools.DeclarationsAsync(grant, cancellationToken).ConfigureAwait(false)];
        return new Conversation(turn, toolCalls, task.Id, connection, client, options, grant, TaskRecordFields.Of(task.Fields).FallbackChain);
    }

    private sealed class Conversation(TaskModelTurn turn, TaskToolCalls toolCalls, string taskId, ProviderConnection connection, IChatClient client, ChatOptions options, ToolGrant grant,
        IReadOnlyList<ModelFallback>? fallbacks) : ITaskConversation
    {
        public Task<SessionMessage> AskAsync(Transcripts.SpendLimit? limit, CancellationToken cancellationToken) =>
            turn.AskAsync(taskId, connection, client, options, limit, cancellationToken, fallbacks);

        public Task<bool> RunToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken) => toolCalls.RunPendingAsync(answer, grant, cancellationToken);

        public Task<bool> ResumeToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken) => toolCalls.ResumePendingAsync(answer, grant, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
