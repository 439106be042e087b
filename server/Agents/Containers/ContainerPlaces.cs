using Plue.Sandbox;

namespace Plue.Agents.Containers;

/// <summary>
/// The container a chat's or task's hooks run in when its commands run in one (docs/CONTAINERS.md): a task's run's
/// own container; a chat whose policy says "container", the chat's (made now when it has none). Null: they run here.
/// </summary>
public sealed class ContainerPlaces(Func<TaskContainers?> tasks, Func<ChatContainers?> chats, Func<TaskRecords?> records)
{
    public async Task<TaskContainer?> ForAsync(string sessionId, SandboxPolicy? policy, string folder, CancellationToken cancellationToken)
    {
        if (tasks()?.Running(sessionId) is { } running) return running;
        // A task's run with no container of its own (a job's, whose sidecar is already in one) runs them where it is.
        if (policy?.Container is null || records()?.Find(sessionId) is not null || chats() is not { } open) return null;
        return await open.ForAsync(sessionId, policy, folder, cancellationToken).ConfigureAwait(false);
    }
}
