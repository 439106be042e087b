using Microsoft.Extensions.AI;
using Plue.Agents.Tools;
using Plue.Codex.Records;
using Plue.Instances;

namespace Plue.Agents.Backends;

/// <summary>
/// How a task's model turns run on its instance: the sidecar's own loop (a model turn, then its tool calls through
/// <see cref="ToolRunner"/>) or a backend whose one turn holds its whole tool loop (the claude CLI). Chosen per run by
/// <see cref="TaskBackends"/>; the run's lifecycle (status, limits, steering, ending) is <see cref="TaskRunner"/>'s.
/// </summary>
public interface ITaskBackend
{
    /// <summary>True when one model turn runs its own tools: the sidecar's spawn_task is then not available to the task.</summary>
    bool RunsOwnTools { get; }

    /// <summary>Opens this run's conversation: a client for the instance and <paramref name="options"/> completed with the grant's tools.</summary>
    Task<ITaskConversation> OpenAsync(CodexRecord task, ProviderConnection connection, ToolGrant grant, ChatOptions options, CancellationToken cancellationToken);
}
