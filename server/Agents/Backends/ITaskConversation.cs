using Plue.Protocol;

namespace Plue.Agents.Backends;

/// <summary>One run of a task on its backend; disposing it ends the backend's state for the run (the claude CLI's process).</summary>
public interface ITaskConversation : IAsyncDisposable
{
    /// <summary>Asks the model once with the task's transcript so far; the answer streams into the transcript.</summary>
    Task<SessionMessage> AskAsync(CancellationToken cancellationToken);

    /// <summary>Runs the tool calls a complete answer left for the sidecar; false when it left none (the answer is then the report).</summary>
    Task<bool> RunToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken);

    /// <summary>On a resumed run, picks up the tool calls the last run's stop left unanswered on its last answer; false when there are none.</summary>
    Task<bool> ResumeToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken);
}
